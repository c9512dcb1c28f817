#pragma once
// Both deployments, for tests that hold the emulator and the Lambda to the same behaviour.
#include "app/policy.hpp"

namespace otts::test {

inline constexpr app::Deployment k_deployments[] = {app::Deployment::emulator, app::Deployment::lambda};

inline const char* deployment_name(app::Deployment deployment) {
    return deployment == app::Deployment::emulator ? "emulator" : "lambda";
}

}  // namespace otts::test
