// What the record and check handlers share: the database a request names, the caller as a
// records::Viewer or records::Writer, and the per-database capability checks
// (record.check:<DB>, record.write:<DB>).
#pragma once

#include <string>

#include "api/request_context.h"
#include "core/status.h"
#include "records/catalogue.h"
#include "records/record_indexes.h"
#include "records/records.h"

namespace ncbnet::api {

// The schema of the {db} path parameter. Error: kNotFound "unknown_database".
Result<const records::DatabaseSchema*> DatabaseOf(const RequestContext& ctx);

// Requires the capability "<verb>:<db>" (verb: record.check, record.write). Error:
// kPermissionDenied "missing_capability".
Status RequireRecordCapability(const RequestContext& ctx, std::string_view verb,
                               const records::DatabaseSchema& db);

// The caller's agency as a viewer (its country and kind). Reads the agency.
Result<records::Viewer> ViewerOf(RequestContext& ctx);

// The caller as a writer: its agency, user and country.
Result<records::Writer> WriterOf(RequestContext& ctx);

// The hub's record indexes and index secret; kUnavailable "records_unavailable" if the hub
// was started without them.
Result<records::RecordIndexes*> IndexesOf(const RequestContext& ctx);
// The records' keys (records::IndexSecret), with the same error as IndexesOf.
Result<const records::IndexSecret*> IndexSecretOf(const RequestContext& ctx);

}  // namespace ncbnet::api
