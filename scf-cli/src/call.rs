//! Sending a command's input as its action's typed request, through scf-api: the generic
//! functions the generated dispatch instantiates with each action's `*Request`.
//!
//! The checked JSON input is decoded into the typed request (which catches a wrong nested
//! shape), `validate()`d (missing required members, constraints), and only then are credentials
//! looked up and the request sent as [`RawJson`] (or [`AsJson`] for paging), so the answer
//! prints exactly as the service sent it.

use std::time::Duration;

use scf_api::{Action, AsJson, CallOptions, Paged, Paginator, RawJson};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::config::Connection;
use crate::failure::Failure;
use crate::table::CommandDef;

/// One run of an action's command.
#[derive(Debug)]
pub struct Run {
    /// The command.
    pub command: &'static CommandDef,
    /// The checked input.
    pub input: Map<String, Value>,
    /// How to connect.
    pub connection: Connection,
    /// `--no-paginate`.
    pub no_paginate: bool,
    /// `--max-items`.
    pub max_items: Option<u64>,
    /// `scf wait --timeout`.
    pub timeout: Option<Duration>,
}

/// What a command printed and how it ended.
#[derive(Debug)]
pub struct Outcome {
    /// The answer: the `Response` members the service sent (pages merged for a listing).
    pub answer: Value,
    /// For a listing, the member holding its items (`jsonl` prints one item per line).
    pub items: Option<&'static str>,
    /// Lines for stderr (the GetFunctionLogs window, `--max-items` cut).
    pub notices: Vec<String>,
    /// Set when the command fails after printing the answer (a waiter's failure state).
    pub failure: Option<Failure>,
}

impl Outcome {
    fn answer(answer: Value) -> Outcome {
        Outcome {
            answer,
            items: None,
            notices: Vec::new(),
            failure: None,
        }
    }
}

impl Run {
    /// The typed request, validated.
    pub(crate) fn typed<A: Action + DeserializeOwned>(&self) -> Result<A, Failure> {
        // From a reference, as `AsJson` decodes answers: the nested types' decoding code is
        // then compiled once.
        let input = Value::Object(self.input.clone());
        let request = A::deserialize(&input)
            .map_err(|e| Failure::usage(format!("invalid input for {}: {e}", self.command.name)))?;
        request
            .validate()
            .map_err(|e| Failure::usage(format!("invalid input for {}: {e}", self.command.name)))?;
        Ok(request)
    }

    /// One call.
    pub(crate) async fn single<A: Action + DeserializeOwned>(&self) -> Result<Outcome, Failure> {
        let request = RawJson(self.typed::<A>()?);
        let client = self.connection.client().await?;
        let answer = client.execute(&request).await.map_err(Failure::call)?;
        Ok(Outcome::answer(Value::Object(answer)))
    }

    /// Every page of a listing, merged (or one call with `--no-paginate`).
    pub(crate) async fn paged<A: Paged + DeserializeOwned>(&self) -> Result<Outcome, Failure> {
        let Some(paging) = self.command.paging else {
            return self.single::<A>().await;
        };
        if self.no_paginate {
            let mut outcome = self.single::<A>().await?;
            outcome.items = Some(paging.items);
            return Ok(outcome);
        }
        let mut request = self.typed::<A>()?;
        if let (Some(n), None, Some(max)) = (self.max_items, request.limit(), A::MAX_PAGE_SIZE) {
            request.set_limit(n.min(max));
        }
        let start = request.offset().unwrap_or(0);
        let client = self.connection.client().await?;
        let mut pages = Paginator::new(&client, AsJson(request), CallOptions::new());
        let mut merged: Option<Map<String, Value>> = None;
        let mut items = Vec::new();
        let mut cut = false;
        while let Some(page) = pages.next_page().await {
            let mut json = page.map_err(Failure::call)?.json;
            if let Some(Value::Array(page_items)) = json.remove(paging.items) {
                items.extend(page_items);
            }
            merged.get_or_insert(json);
            if let Some(n) = self.max_items.and_then(|n| usize::try_from(n).ok()) {
                if items.len() >= n {
                    cut = items.len() > n || more_after(merged.as_ref(), paging.total, start, n);
                    items.truncate(n);
                    break;
                }
            }
        }
        let mut notices = Vec::new();
        if pages.window_reached() {
            notices.push(format!(
                "{} lists at most {} items ({} + {}): there may be more; narrow the query to see them",
                self.command.name,
                A::MAX_WINDOW.or(paging.max_window).unwrap_or_default(),
                paging.offset,
                paging.limit,
            ));
        }
        if cut {
            notices.push(format!(
                "stopped after {} items (--max-items); continue with --{} {}",
                items.len(),
                paging.offset,
                start + items.len() as u64
            ));
        }
        let mut answer = merged.unwrap_or_default();
        answer.insert(paging.items.to_owned(), Value::Array(items));
        Ok(Outcome {
            answer: Value::Object(answer),
            items: Some(paging.items),
            notices,
            failure: None,
        })
    }
}

/// Whether the listing's total says items remain after the first `n` from `start`.
fn more_after(page: Option<&Map<String, Value>>, total: &str, start: u64, n: usize) -> bool {
    page.and_then(|p| p.get(total))
        .and_then(Value::as_u64)
        .is_none_or(|total| total > start + n as u64)
}
