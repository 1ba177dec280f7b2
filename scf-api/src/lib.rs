//! Typed async client for the Tencent Cloud Serverless Cloud Function (SCF) API, version
//! 2018-04-16.
//!
//! Every action of the API is a method on [`Client`] returning a builder; `.send().await`
//! checks the inputs, signs the request with TC3-HMAC-SHA256, sends it, and decodes the
//! response into the action's typed output or a typed [`Error`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use scf_api::{Client, Credentials};
//!
//! let client = Client::builder()
//!     .credentials(Credentials::new("AKID...", "secret"))
//!     .build()?;
//! let out = client
//!     .get_async_event_status()
//!     .invoke_request_id("b379787f-8487-4bac-bd8c-17a20a9ce40e")
//!     .send()
//!     .await?;
//! println!("{}", out.result.status);
//! # Ok(())
//! # }
//! ```
//!
//! The action-specific code (models, enums of documented values, error codes, builders) is
//! generated from the spec into [`actions`] and [`types`]; the rest of the crate is the
//! hand-written runtime.
//!
//! # Paging and waiting
//!
//! Builders of listing actions (`list_functions()`, `get_function_logs()`, ...) have
//! `into_paginator()`: a [`Paginator`] fetches the pages one call at a time, as a
//! `futures_core::Stream` or with `next_page()`, and `.items()` yields their items. Builders of
//! status queries have `wait_until_*` methods that poll until a final state, with jittered
//! backoff and a deadline ([`Waited`], [`WaitError`], [`WaiterConfig`]).
//!
//! # Testing your code without an account
//!
//! Add `scf-local` as a dev-dependency: it runs an emulated SCF account on 127.0.0.1, with
//! functions whose behaviour you write in Rust.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use scf_api::{Client, Credentials, Endpoint};
//!
//! let server = scf_local::Server::builder()
//!     .function_handler(|call: scf_local::Invocation| async move {
//!         Ok(format!("processed {}", call.event))
//!     })
//!     .start()
//!     .await?;
//! let client = Client::builder()
//!     .credentials(Credentials::new(server.secret_id(), server.secret_key()))
//!     .endpoint(Endpoint::Url(server.url()))
//!     .region("ap-guangzhou")
//!     .build()?;
//!
//! client
//!     .create_function()
//!     .function_name("orders")
//!     .code(scf_api::types::Code { zip_file: Some("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==".into()), ..Default::default() })
//!     .send()
//!     .await?;
//! let out = client.invoke().function_name("orders").client_context("{}").send().await?;
//! assert_eq!(out.result.ret_msg, "processed {}");
//! # Ok(())
//! # }
//! ```

mod action;
mod client;
mod config;
pub mod credentials;
mod defaults;
mod env;
mod error;
mod expand;
mod ext;
#[rustfmt::skip]
mod generated;
mod paginate;
mod raw;
mod region;
mod response;
mod retry;
pub mod signer;
mod sts;
mod tls;
mod transport;
mod waiter;

pub use action::{
    Action, ActionMeta, Api, ErrorCode, EventLimits, InputProblem, InvalidInput, Signing, TimeRange,
};
pub use client::Client;
pub use config::{
    CallOptions, ClientBuilder, ConfigError, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, ENV_ENDPOINT_URL, ENV_REGION, Endpoint, LONG_ACTION_MARGIN,
    Language, RATE_LIMIT_WINDOW, RateLimit,
};
pub use credentials::Credentials;
pub use env::Environment;
pub use error::{
    AnyCode, AnyError, DecodeError, DecodeErrorKind, Error, ErrorKind, HttpError, PagingError,
    PagingErrorKind, ServiceError, TimeoutError, TimeoutKind, TransportError,
};
pub use ext::{
    FunctionError, HelperProblem, Invocation, MAX_ASYNC_EVENT_BYTES, MAX_SYNC_EVENT_BYTES,
    ReturnError,
};
pub use generated::{actions, types};
pub use paginate::{Items, Paged, Paginator};
pub use raw::{AsJson, JsonAnswer, RawJson};
pub use retry::{RetryClass, RetryPolicy};
pub use waiter::{WaitError, Waited, WaiterConfig};

/// Facts about the service, from the spec.
pub mod service {
    pub use crate::generated::{
        ENDPOINT_INTL, ENDPOINT_NEAREST, ENDPOINT_REGIONAL_PREFIX, ENDPOINT_REGIONAL_SUFFIX,
        MAX_BODY_BYTES, SERVICE, SPEC_HASH, TIME_ZONE, UTC_OFFSET_SECS, VERSION, retry_class,
    };
}

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    use serde::{Deserialize, Deserializer};

    pub use crate::expand::{own_code, own_code_name, require};
    pub use crate::paginate::support::{PageItems, PageNumber, PageTotal};
    pub use crate::waiter::{WaiterDef, wait};
    pub use crate::{__scf_builder as builder, __scf_error_code as error_code};

    /// Deserializes `null` as the type's default, so a member the docs promise is never
    /// `null` does not fail a whole response when it is.
    pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
    }

    /// Deserializes a generated string enum from any string: documented values become their
    /// variant without allocating, others `Unknown` (an owned string is moved, not copied).
    pub fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: for<'a> From<&'a str> + From<String>,
    {
        deserializer.deserialize_str(StrEnumVisitor(std::marker::PhantomData))
    }

    struct StrEnumVisitor<T>(std::marker::PhantomData<T>);

    impl<T> serde::de::Visitor<'_> for StrEnumVisitor<T>
    where
        T: for<'a> From<&'a str> + From<String>,
    {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
}
