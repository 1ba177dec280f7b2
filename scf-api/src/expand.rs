//! What generated code expands instead of writing out: the members every action shares.
//!
//! Each action's file calls these macros (through `__private`) with its own names, so that a
//! member shared by all 52 actions is written once, here, and a change to it is one change.
//! They know nothing about any particular action: everything action-specific is an argument.
//! Paths inside use `$crate`, so the macros work from scf-api's own generated code and from a
//! crate generated against scf-api (the `awkward` fixture).

/// `ErrorCode` and `Display` for an action's error enum, which has a private
/// `OWN_CODES: &[(&str, Self)]` table, an `Unknown(String)` variant and, when the spec has common
/// codes, a `Common(super::<common>)` variant (`<common>` being the generated `CommonError`, in
/// the parent module of the call site).
#[doc(hidden)]
#[macro_export]
macro_rules! __scf_error_code {
    ($error:ident, $common:ident) => {
        impl $crate::ErrorCode for $error {
            fn from_code(code: &str) -> Self {
                match $crate::__private::own_code(Self::OWN_CODES, code) {
                    ::core::option::Option::Some(own) => own,
                    ::core::option::Option::None => match super::$common::from_code(code) {
                        ::core::option::Option::Some(common) => Self::Common(common),
                        ::core::option::Option::None => Self::Unknown(code.into()),
                    },
                }
            }

            fn code(&self) -> &str {
                match self {
                    Self::Common(common) => common.code(),
                    Self::Unknown(code) => code,
                    own => $crate::__private::own_code_name(Self::OWN_CODES, own),
                }
            }
        }

        $crate::__scf_error_code!(@display $error);
    };
    ($error:ident) => {
        impl $crate::ErrorCode for $error {
            fn from_code(code: &str) -> Self {
                $crate::__private::own_code(Self::OWN_CODES, code)
                    .unwrap_or_else(|| Self::Unknown(code.into()))
            }

            fn code(&self) -> &str {
                match self {
                    Self::Unknown(code) => code,
                    own => $crate::__private::own_code_name(Self::OWN_CODES, own),
                }
            }
        }

        $crate::__scf_error_code!(@display $error);
    };
    (@display $error:ident) => {
        impl ::core::fmt::Display for $error {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($crate::ErrorCode::code(self))
            }
        }
    };
}

/// An action's builder struct and the members every builder has (`options`, `into_request`,
/// `as_request`, `send`, and the crate-private constructor `new`). The setters, the paginator
/// entry and the waiters are written by the generator in a second `impl` block.
///
/// Arguments: the builder, the request, response and error types, the action's wire name and
/// its client method. The builder holds the calling crate's `crate::Client` (scf-api's own, or a
/// generated crate's wrapper that dereferences to it).
#[doc(hidden)]
#[macro_export]
// `crate::Client` is meant: the calling crate's client (a generated crate's wrapper, or
// scf-api's own), which `$crate::Client` would not be.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __scf_builder {
    (
        $builder:ident,
        $request:ident,
        $response:ident,
        $error:ident,
        $action:literal,
        $method:ident $(,)?
    ) => {
        #[doc = concat!(
            "Builder of a `", $action, "` call, returned by [`crate::Client::",
            stringify!($method), "`]. Set inputs, then `.send().await`."
        )]
        #[derive(Debug, Clone)]
        #[must_use = concat!("`", stringify!($builder), "` does nothing until `.send()` is awaited")]
        pub struct $builder {
            client: crate::Client,
            request: $request,
            options: $crate::CallOptions,
        }

        impl $builder {
            /// A builder with no inputs set and default options.
            pub(crate) fn new(client: &crate::Client) -> Self {
                Self {
                    client: ::core::clone::Clone::clone(client),
                    request: ::core::default::Default::default(),
                    options: ::core::default::Default::default(),
                }
            }

            /// Per-call options (timeouts, retry policy, region), kept apart from the action's inputs.
            pub fn options(mut self, options: $crate::CallOptions) -> Self {
                self.options = options;
                self
            }

            /// The request as built so far.
            pub fn into_request(self) -> $request {
                self.request
            }

            /// The request as built so far, borrowed.
            pub fn as_request(&self) -> &$request {
                &self.request
            }

            /// Checks the inputs, signs and sends the request, and decodes the response.
            pub async fn send(
                self,
            ) -> ::core::result::Result<$response, $crate::Error<$error>> {
                self.client.execute_with(&self.request, &self.options).await
            }
        }
    };
}

/// The variant of `code` in an action's own-codes table.
pub fn own_code<E: Clone>(table: &[(&str, E)], code: &str) -> Option<E> {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, variant)| variant.clone())
}

/// The code of `variant` in an action's own-codes table; empty when it is not there (the
/// generator puts every own variant in the table, so that does not happen).
pub fn own_code_name<E: PartialEq>(
    table: &'static [(&'static str, E)],
    variant: &E,
) -> &'static str {
    table
        .iter()
        .find(|(_, v)| v == variant)
        .map_or("", |(c, _)| c)
}

/// Records `member` as missing when `value` is not set (generated `validate`).
pub fn require<T>(
    problems: &mut Vec<crate::InputProblem>,
    member: &'static str,
    value: &Option<T>,
) {
    if value.is_none() {
        problems.push(crate::InputProblem::Missing { member });
    }
}
