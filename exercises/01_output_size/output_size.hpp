// Exercise 01_output_size — see docs page "Chapter 01", section "Try it".
#pragma once

namespace ex {

/// The size of a cross-correlation's output along one axis, for an input of size n, a
/// kernel of size f, zero padding p on each side and stride s (001 §5.1.2 eq 2).
int output_size(int n, int f, int p, int s);

}  // namespace ex
