/// \file edge_kernel_fit.hpp
/// \brief Chapter 10: learn the horizontal-edge kernel back from a picture and its
/// filtered copy by gradient descent (000 §17.3.7).
///
/// One include for the whole derivation, one file per concern: the picture and its
/// target (picture.hpp), the two fast cross-correlations (fast_loops.hpp), the loss,
/// gradient and step (loss.hpp), the training loop and its options (fit.hpp), and the
/// closeness checks with the notes' printed result (compare.hpp). Why the loop needs the
/// iterations it needs is in gram.hpp.
#pragma once

#include "10_edge_kernel_fit/compare.hpp"
#include "10_edge_kernel_fit/fast_loops.hpp"
#include "10_edge_kernel_fit/fit.hpp"
#include "10_edge_kernel_fit/loss.hpp"
#include "10_edge_kernel_fit/picture.hpp"
