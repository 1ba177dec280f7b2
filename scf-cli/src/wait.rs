//! `scf wait <waiter>`: polls the waiter's action through scf-api's generic waiter (its
//! jittered backoff, deadline and final states) until a final state or the timeout.

use scf_api::{Action, AsJson, CallOptions, JsonAnswer, WaitError, WaiterConfig};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::call::{Outcome, Run};
use crate::failure::Failure;
use crate::table::WaiterDef;

/// The string at `path` in an answer: each step a member, `true` for a list's first element
/// (`Allocated[].Status` is `[("Allocated", true), ("Status", false)]`).
pub fn state_at<'a>(json: &'a Map<String, Value>, path: &[(&str, bool)]) -> Option<&'a str> {
    let (&(first, first_is_list), rest) = path.split_first()?;
    let mut value = json.get(first)?;
    if first_is_list {
        value = value.as_array()?.first()?;
    }
    for &(member, list) in rest {
        value = value.get(member)?;
        if list {
            value = value.as_array()?.first()?;
        }
    }
    value.as_str()
}

impl Run {
    /// Polls `A` until `waiter` sees a final state: success prints the last answer and exits
    /// 0; a failure state prints it and exits 255; a timeout exits 255 naming the last state.
    pub(crate) async fn wait<A: Action + DeserializeOwned>(
        &self,
        waiter: &'static WaiterDef,
        state: fn(&JsonAnswer<A::Output>) -> Option<&str>,
    ) -> Result<Outcome, Failure> {
        let request = AsJson(self.typed::<A>()?);
        let client = self.connection.client().await?;
        let config = match self.timeout {
            Some(timeout) => WaiterConfig::new().max_wait(timeout),
            None => WaiterConfig::new(),
        };
        let waited = scf_api::__private::wait(
            &client,
            &request,
            &CallOptions::new(),
            &waiter.poll,
            config,
            state,
        )
        .await;
        match waited {
            Ok(done) => {
                let failure = (!done.success).then(|| {
                    Failure::other(format!(
                        "waiter {} ended in the failure state {} ({}) after {} poll(s)",
                        waiter.name, done.state, waiter.state_path, done.polls
                    ))
                });
                Ok(Outcome {
                    answer: Value::Object(done.output.json),
                    items: None,
                    notices: Vec::new(),
                    failure,
                })
            }
            Err(WaitError::Call(e)) => Err(Failure::call(e)),
            Err(e) => Err(Failure::other(format!(
                "{}: {e} ({})",
                waiter.name, waiter.state_path
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_states() {
        let json: Map<String, Value> = serde_json::from_str(
            r#"{"Result":{"Status":"RUNNING"},"Allocated":[{"Status":"Done"}],"Empty":[]}"#,
        )
        .unwrap();
        assert_eq!(
            state_at(&json, &[("Result", false), ("Status", false)]),
            Some("RUNNING")
        );
        assert_eq!(
            state_at(&json, &[("Allocated", true), ("Status", false)]),
            Some("Done")
        );
        assert_eq!(state_at(&json, &[("Empty", true), ("Status", false)]), None);
        assert_eq!(state_at(&json, &[("Missing", false)]), None);
    }
}
