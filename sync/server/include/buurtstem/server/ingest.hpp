// Ingest: what the server does with one authenticated upload batch. Kept apart from HTTP so tests can
// call it directly and a second transport could reuse it.
#pragma once

#include <string>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

// Checks each response (its device must be `device_id`; answers must fit the consultation version) and
// stores the good ones in one transaction. Returns which ids are now stored (acknowledge these), which
// are refused for good (batch.invalid among them), and which are deferred because the server has no file
// for their consultation version (nothing stored; the kiosk keeps them pending). A store failure returns
// an error and acknowledges nothing, so the kiosk sends the batch again later.
Result<protocol::UploadReply, ServerStoreError> ingest_batch(ServerStore& store,
                                                             const ConsultationCatalog& catalog,
                                                             const std::string& device_id,
                                                             const protocol::UploadBatch& batch);

// The reason a response does not fit its consultation, or empty when it fits (or the version is unknown).
std::string check_response(const ConsultationCatalog& catalog, const CompletedResponse& response);

} // namespace buurtstem
