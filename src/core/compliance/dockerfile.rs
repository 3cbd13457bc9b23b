//! `DockerfileValidator` (`validators/dockerfile.py`): a `Dockerfile` exists (its content is not read).

use super::ModuleResult;

pub fn validate(result: &mut ModuleResult) {
    if !result.file("Dockerfile").is_file() {
        result.error("Dockerfile", "dockerfile", "Dockerfile is missing");
    }
}
