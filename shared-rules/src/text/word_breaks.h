// Word boundaries (Unicode UAX #29, as ICU's word break iterator finds them).
//
// Folded text is mostly ASCII, and ICU's iterator costs ~100 instructions a
// byte. So white-space-separated chunks that are pure ASCII use an exact
// transcription of the UAX #29 rules that can apply to ASCII (WB5-WB13b);
// every other chunk goes to ICU. tests/core/word_breaks_test.cpp checks the
// two agree on random ASCII.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace postguard::text {

// boundary: size()+1 flags; word_starts: starts of segments holding letters
// or digits. `force_icu` skips the ASCII path (for the differential test).
void find_word_boundaries(std::string_view text, std::vector<uint8_t>& boundary,
                          std::vector<uint32_t>& word_starts, bool force_icu = false);

// The same as it was before its one-pass ASCII segmenter (for
// normalize_reference and the test that holds the two equal).
void find_word_boundaries_reference(std::string_view text, std::vector<uint8_t>& boundary,
                                    std::vector<uint32_t>& word_starts);

}  // namespace postguard::text
