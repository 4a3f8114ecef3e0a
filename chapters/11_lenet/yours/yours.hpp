/// \file yours.hpp
/// \brief `./workbook run 11 --yours`: chapter 11's LeNet-5 trained with the learner's own
/// exercise functions (the program ch11_yours: main.cpp built with WB_YOURS and the files
/// in exercises/, never part of the default build).
///
/// Each layer of the forward and backward pass calls the learner's function where one is
/// solved: cross-correlation (01), δ through a layer (04), the kernel and bias gradients
/// (05), max pooling backward (06), the dense backward (07), ReLU backward (08), softmax
/// and its cross-entropy backward (09), the SGD step (11). Before any training, each is
/// checked against centred finite differences (by the learner's own 02_gradient_check once
/// it is solved) and against the workbook's function; an exercise still a stub falls back
/// to the workbook's function.
#pragma once

#include <ostream>

#include "11_lenet/train.hpp"

namespace ch11::yours {

/// Checks the learner's layers, says which run (and which fall back to the workbook's),
/// and plugs them into `tr`. False, with the first layer that disagrees (the layer, its
/// exercise, what differs) on `os`, when one does: then nothing must be trained.
bool plug_in(Trainer& tr, std::ostream& os);

}  // namespace ch11::yours
