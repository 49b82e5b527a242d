"""Objects several tests make through the API and the CLI, as their users would: a message from
one NCB to another's country, a passport one country reported stolen and another checked (a
hit of both). Standard library only."""

import os

import hub
import msgutil
from msgutil import Principal


def send_message(h: hub.Hub, sender: Principal, to_country: str, subject: str) -> str:
    """`sender` (an NCB, by certificate) registers a signing key once and sends a message to
    `to_country`'s NCB; returns the message id."""
    cli = msgutil.Cli(h)
    key_path = os.path.join(h.dir, f"scenes-{sender.agency}.key")
    if not os.path.exists(key_path):
        key = cli.generate_key(key_path)
        out = cli.client(sender, "key", "register", "--agency", sender.agency, "--key", key.path)
        assert out.returncode == 0, out.stdout + out.stderr
    out = cli.client(sender, "msg", "send", "--key", key_path, "--from", sender.agency,
                     "--to-country", to_country, "--subject", subject, "--body", "Synthetic.",
                     "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    return msgutil.parse_json(out)["message_id"]


def stolen_passport_hit(h: hub.Hub, owner: Principal, owner_country: str, checker: Principal,
                        number: str) -> str:
    """`owner` reports passport `number` stolen in SLTD; `checker` checks it: one hit of both.
    Returns the hit id."""
    record = h.request("POST", "/v1/records/SLTD",
                       {"fields": {"number": number, "issuing_country": owner_country,
                                   "document_type": "passport", "status": "stolen"}},
                       **owner.request_args())
    assert record.status == 201, record.describe()
    check = h.request("GET", f"/v1/checks/SLTD?number={number}&issuing_country={owner_country}",
                      **checker.request_args())
    assert check.status == 200, check.describe()
    hits = [m["hit"] for m in check.body.get("matches", []) if m.get("hit")]
    assert len(hits) == 1, check.describe()
    return hits[0]
