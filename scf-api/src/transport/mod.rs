//! Everything between a signed request and the bytes of its answer that is not signing:
//! classifying reqwest's failures and refusing answers that came through a redirect
//! (`classify.rs`), and reading a body with a size limit (`body.rs`).

mod body;
mod classify;

pub(crate) use body::{BodyError, read_limited};
pub(crate) use classify::{error_chain, redirected, transport_kind};
