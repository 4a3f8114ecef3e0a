// What an exercise stub throws until you replace its body.
#pragma once

#include <stdexcept>
#include <string>

namespace ex {

struct NotImplemented : std::logic_error {
    NotImplemented(const std::string& id, const std::string& page)
        : std::logic_error("not implemented yet: exercise " + id + " — write it in exercises/" +
                           id + "/, read the docs page '" + page + "' (section 'Try it'), and "
                           "ask for a hint with ./workbook hint " + id) {}
};

}  // namespace ex
