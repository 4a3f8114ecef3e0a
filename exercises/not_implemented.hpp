// What an exercise stub throws until you replace its body.
#pragma once

#include <stdexcept>
#include <string>

namespace ex {

struct NotImplemented : std::logic_error {
    NotImplemented(const std::string& id, const std::string& page)
        : std::logic_error("not implemented yet — exercise " + id + ", docs: " + page +
                           ", 'Try it'") {}
};

}  // namespace ex
