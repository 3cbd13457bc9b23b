//! Commands that read a module and write it back hold its lock meanwhile (see
//! `core::workspace::ModuleLock`), saying so when another run holds it.

use std::path::Path;

use crate::core::workspace::ModuleLock;

pub fn lock(module: &Path) -> anyhow::Result<ModuleLock> {
    ModuleLock::acquire(module, |holder| match holder {
        Some(pid) => eprintln!(
            "waiting for another sekoia-wizard (pid {pid}) to finish with {}…",
            module.display()
        ),
        None => eprintln!(
            "waiting for another sekoia-wizard to finish with {}…",
            module.display()
        ),
    })
}
