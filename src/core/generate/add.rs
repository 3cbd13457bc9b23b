//! Configuration fields, components and dependencies on top of a module (in progress).

use crate::core::model::Answers;
use crate::core::naming::ModuleNames;
use crate::core::plan::Plan;

/// Adds what `answers` describes beyond the module itself to a plan that creates a new module.
pub fn extend_fresh(plan: Plan, _names: &ModuleNames, answers: &Answers) -> anyhow::Result<Plan> {
    if !answers.configuration.is_empty()
        || !answers.components.is_empty()
        || !answers.dependencies.is_empty()
    {
        return crate::core::failure::fail(
            "configuration fields, components and dependencies in a new module are not supported yet",
            "create the module first, then use `sekoia-wizard add`",
        );
    }
    Ok(plan)
}
