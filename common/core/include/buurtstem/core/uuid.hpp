#pragma once

#include <string>
#include <string_view>

namespace buurtstem {

// A random (version 4) UUID in lower-case 8-4-4-4-12 form, from libsodium's CSPRNG. Response ids are
// made on kiosks that never talk to each other, so they must be unguessable and collision-free.
std::string new_uuid_v4();

// True for the lower- or upper-case 8-4-4-4-12 hex form.
bool is_uuid(std::string_view text);

// `bytes` random bytes as lower-case hex (device tokens, nonces).
std::string random_hex(size_t bytes);

} // namespace buurtstem
