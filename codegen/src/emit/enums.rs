//! Enums of documented values.

use super::*;

pub(super) fn enum_docs(e: &EnumDef) -> String {
    let mut d = format!(
        "`{}`: a string with documented values, one variant each, and [`Unknown`](Self::Unknown) \
         for any other value, kept as sent.\n\n\
         Converts from `&str` and `String` (`From`, `FromStr`), compares equal to `&str`, and \
         (de)serializes as the plain string, so a value the service adds later survives a round \
         trip. `Default` is `Unknown(\"\")`, what a missing or `null` output decodes to.\n\n\
         Used by:",
        e.name
    );
    for u in &e.users {
        let line = match u {
            EnumUser::Input { action, member } => format!(
                "`{}` of [`{action}Request`](crate::actions::{action}Request)",
                names::field(member)
            ),
            EnumUser::Output { action, member } => format!(
                "`{}` of [`{action}Response`](crate::actions::{action}Response)",
                names::field(member)
            ),
            EnumUser::Type { type_name, member } => {
                let ty = names::type_ident(type_name);
                format!("`{}` of [`{ty}`](crate::types::{ty})", names::field(member))
            }
        };
        d.push_str("\n- ");
        d.push_str(&line);
    }
    d
}

/// A string enum: the documented variants and `Unknown(String)`, with conversions from and to
/// the wire string. Equality and hashing go by the wire string, like the comparisons with `&str`,
/// so a hand-built `Unknown` holding a documented value equals its variant.
pub(super) fn enum_file(e: &EnumDef, opts: &Options) -> TokenStream {
    let name = names::type_ident(&e.name);
    let docs = doc(&enum_docs(e));
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| names::type_ident(&v.variant))
        .collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = e.variants.iter().map(|v| {
        doc(&match &v.docs {
            Some(d) => format!("`{}`: {d}", v.value),
            None => format!(
                "`{}`; what it means depends on the member (see the member's docs).",
                v.value
            ),
        })
    });
    let conversions = conversions(&name);
    let comparisons = comparisons(&name, opts);
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the spec does not list, as sent or received.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value,
                }
            }

            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#values => ::std::option::Option::Some(Self::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        #conversions
        #comparisons
    }
}

/// `From<&str>`, `From<String>`, `FromStr` and `Display`.
fn conversions(name: &syn::Ident) -> TokenStream {
    quote! {
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(::std::borrow::ToOwned::to_owned(value)))
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

    }
}

/// `Default`, equality and hashing by the wire string, and serde as a string.
fn comparisons(name: &syn::Ident, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }

        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for #name {}

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state);
            }
        }

        impl ::std::cmp::PartialEq<str> for #name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for #name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::deserialize_str_enum(deserializer)
            }
        }
    }
}
