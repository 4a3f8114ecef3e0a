/// \file utf8.hpp
/// \brief The panels' answers are valid UTF-8 whatever they echo: a message cuts the
/// reader's text at a character boundary, never inside one, and a byte that is not part
/// of a UTF-8 character is written as U+FFFD (strict JSON parsers refuse invalid UTF-8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace live {

/// The length (1–4) of the well-formed UTF-8 character that starts at s[i], or 0 if the
/// bytes there are not one (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
inline std::size_t utf8_char_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80) return 1;
    const std::size_t n = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    const unsigned char c = byte(i + 1);  // the second byte narrows the range of the first
    if ((b == 0xE0 && c < 0xA0) || (b == 0xED && c > 0x9F) || (b == 0xF0 && c < 0x90) || (b == 0xF4 && c > 0x8F))
        return 0;
    return n;
}

/// `s` with every byte that is not part of a well-formed character replaced by U+FFFD.
inline std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_char_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

/// At most `max` bytes of `s`, cut before the character that would not fit whole, and
/// "…" after a cut: what a message quotes of the reader's text.
inline std::string clip(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // inside a character
    return std::string(s.substr(0, cut)) + "…";
}

/// The whole character of `s` that contains byte i (for a message that names it), or
/// U+FFFD if the bytes there are not UTF-8.
inline std::string char_at(std::string_view s, std::size_t i) {
    std::size_t start = i;
    while (start > 0 && i - start < 3 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    const std::size_t n = utf8_char_length(s, start);
    return n && start + n > i ? std::string(s.substr(start, n)) : std::string("\xEF\xBF\xBD");
}

/// A message on one line: control characters (a tab, a carriage return the reader typed
/// inside a cell) become spaces.
inline std::string one_line(std::string_view s) {
    std::string out(s);
    for (char& ch : out)
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ch = ' ';
    return out;
}

}  // namespace live
