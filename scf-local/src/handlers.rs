//! What each action answers once a request has passed authentication and validation.
//!
//! This first version models no state: every action answers with the documented example
//! response from the catalog. A stateful action gets its own function here and an arm in
//! [`handler_for`]; everything else keeps falling back to [`example_answer`].

use serde_json::{Map, Value};

use crate::catalog::ActionDef;
use crate::error::{ApiError, codes};

/// The response fields (without `RequestId`) for a validated request, or an API error.
pub(crate) type Answer = Result<Map<String, Value>, ApiError>;

/// A per-action handler: gets the validated request parameters.
type Handler = fn(&Map<String, Value>) -> Answer;

/// The dedicated handler for `action`, if it has one.
fn handler_for(action: &str) -> Option<Handler> {
    // No stateful actions yet; add e.g. `"CreateFunction" => Some(create_function)` here.
    let _ = action;
    None
}

/// Answers a validated request for `action` with parameters `params`.
pub(crate) fn dispatch(action: &ActionDef, params: &Map<String, Value>) -> Answer {
    match handler_for(action.name) {
        Some(handler) => handler(params),
        None => example_answer(action),
    }
}

/// The catalog's documented example response for `action`, or `{}` when it has none.
pub(crate) fn example_answer(action: &ActionDef) -> Answer {
    let Some(text) = action.example_output else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => Ok(fields),
        _ => Err(ApiError::new(
            codes::INTERNAL_ERROR,
            format!(
                "scf-local's catalog has an example response for `{}` that is not a JSON object.",
                action.name
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(example_output: Option<&'static str>) -> ActionDef {
        ActionDef {
            name: "Demo",
            input: &[],
            example_output,
            rate_limit: None,
        }
    }

    #[test]
    fn example_or_empty() {
        assert_eq!(
            dispatch(&action(Some(r#"{"A":1}"#)), &Map::new()).unwrap()["A"],
            1
        );
        assert!(dispatch(&action(None), &Map::new()).unwrap().is_empty());
        assert_eq!(
            dispatch(&action(Some("[1]")), &Map::new())
                .unwrap_err()
                .code,
            "InternalError"
        );
    }
}
