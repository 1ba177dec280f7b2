//! Placeholder: no action of this area is modelled yet.

use super::{Answer, Ctx};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[];

pub(crate) fn handle(_ctx: &Ctx<'_>, _action: &str) -> Option<Answer> {
    None
}
