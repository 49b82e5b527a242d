// The tests' HTTPS client is the CLI's (api/client/https_client.h); this alias keeps the tests'
// spelling, testutil::HttpsClient.
#pragma once

#include "api/client/https_client.h"

namespace ncbnet::testutil {

using HttpsClient = api::client::HttpsClient;

}  // namespace ncbnet::testutil
