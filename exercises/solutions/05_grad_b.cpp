// Solution to exercise 05_grad_b.
#include "05_grad_b/grad_b.hpp"

std::vector<double> ex::grad_b(const wb::Tensor<double>& delta_in) {
    std::vector<double> db(static_cast<std::size_t>(delta_in.c()), 0.0);
    for (int n = 0; n < delta_in.n(); ++n)
        for (int k = 0; k < delta_in.c(); ++k)
            for (int i = 0; i < delta_in.h(); ++i)
                for (int j = 0; j < delta_in.w(); ++j) db[static_cast<std::size_t>(k)] += delta_in(n, k, i, j);
    return db;
}
