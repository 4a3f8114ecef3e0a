/// \file checkpoint.hpp
/// \brief LeNet-5 checkpoints (safetensors): the weights alone, for pictures or evaluation.
/// Saving and restoring the whole training state are Trainer::save and Trainer::load.
#pragma once

#include <string>

#include "11_lenet/lenet.hpp"

namespace ch11 {

/// The checkpoint's weights alone (for the pictures or a fresh evaluation).
Params<float> load_weights(const std::string& path);

}  // namespace ch11
