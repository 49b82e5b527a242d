"""The dashboard's counts (GET /v1/stats/activity, issue 15 item 4) against the real server:
messages sent and received and check requests per UTC day, hits per database on each side,
each agency its own only, and bad parameters refused."""

import datetime

import hub
import scenes
from msgutil import cert_principal


class ActivityTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.fra = cert_principal(h, "ncb-fra")
        cls.deu = cert_principal(h, "ncb-deu")
        cls.ita = cert_principal(h, "ncb-ita")
        scenes.send_message(h, cls.fra, "DEU", "Stats one")
        scenes.send_message(h, cls.fra, "DEU", "Stats two")
        scenes.stolen_passport_hit(h, cls.deu, "DEU", cls.fra, "ST0000001")
        # A check that matches nothing is a check too, and no hit.
        resp = h.request("GET", "/v1/checks/SLTD?number=ST9999999&issuing_country=DEU",
                         **cls.fra.request_args())
        assert resp.status == 200, resp.describe()

    def activity(self, who, query: str = "") -> hub.Response:
        return self.hub.request("GET", "/v1/stats/activity" + query, **who.request_args())

    def test_each_agency_sees_its_own_counts_for_today(self):
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        fra = self.activity(self.fra)
        self.assertEqual(fra.status, 200, fra.describe())
        self.assertEqual(fra.body["days"], 30)
        self.assertEqual(fra.body["messages_sent"], [{"day": today, "count": 2}])
        self.assertEqual(fra.body["messages_received"], [])
        self.assertEqual(fra.body["checks"], [{"day": today, "count": 2}])
        self.assertEqual(fra.body["hits_by_database"], {"checker": {"SLTD": 1}, "owner": {}})
        self.assertAudited(fra, "ok", "GET /v1/stats/activity")

        deu = self.activity(self.deu, "?days=1")
        self.assertEqual(deu.status, 200, deu.describe())
        self.assertEqual(deu.body["since"], today)
        # France's two, and the hub's notification of the hit on Germany's record.
        self.assertEqual(deu.body["messages_received"], [{"day": today, "count": 3}])
        self.assertEqual(deu.body["checks"], [])
        self.assertEqual(deu.body["hits_by_database"], {"checker": {}, "owner": {"SLTD": 1}})

        ita = self.activity(self.ita)
        self.assertEqual((ita.body["messages_sent"], ita.body["messages_received"],
                          ita.body["checks"]), ([], [], []))
        self.assertEqual(ita.body["hits_by_database"], {"checker": {}, "owner": {}})

    def test_bad_parameters_are_refused(self):
        for query in ("?days=0", "?days=367", "?days=x", "?since=2026-01-01"):
            with self.subTest(query=query):
                self.assertError(self.activity(self.fra, query), 400, "invalid_request")
