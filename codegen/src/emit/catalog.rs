//! scf-local's catalog (`scf-local/src/generated/`).

use super::*;

/// The catalog's `WireType` of a member's element type.
pub(super) fn wire_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(WireType::String),
        Ty::Integer => quote!(WireType::Integer),
        Ty::Unsigned => quote!(WireType::Unsigned),
        Ty::Float => quote!(WireType::Float),
        Ty::Boolean => quote!(WireType::Boolean),
        Ty::Datetime => quote!(WireType::Datetime),
        Ty::Named(n) => quote!(WireType::Object(#n)),
    }
}

/// `Some(tokens)` or `None`, as a Rust expression.
pub(super) fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// Generates `scf-local/src/generated/` (paths relative to it).
pub fn catalog_files(spec: &Spec) -> Result<Vec<GeneratedFile>, EmitError> {
    let Some(zone) = &spec.service.time_zone else {
        return Err(EmitError {
            path: "catalog.rs".into(),
            message: "scf-local needs the service's time zone: set `timeZone` in service.json"
                .into(),
        });
    };
    let actions = spec.actions.iter().map(action_def);
    let types = spec.types.iter().map(|t| {
        let name = &t.name;
        let members = t.members.iter().map(wire);
        quote!(TypeDef { name: #name, members: &[#(#members),*] })
    });
    let fact_names: Vec<syn::Ident> = spec
        .actions
        .iter()
        .map(|a| format_ident!("{}", names::module_file(&a.name).to_uppercase()))
        .collect();
    let action_facts = spec
        .actions
        .iter()
        .zip(&fact_names)
        .map(|(a, ident)| action_facts(a, ident));
    let output_types = spec.types.iter().map(|t| {
        let name = &t.name;
        let members = t.members.iter().map(output_member);
        quote!(OutputTypeDef { name: #name, members: &[#(#members),*] })
    });
    let zone_text = &zone.text;
    let zone_offset = zone.offset_secs;
    let max_body = spec.service.max_body_bytes as usize;
    let service = &spec.service.service;
    let version = &spec.service.version;
    let common = &spec.service.common_errors;
    let catalog = quote! {
        //! The API as scf-local sees it, generated from the spec.
        use crate::catalog::{
            ActionDef, Catalog, MemberDef, OutputMemberDef, OutputTypeDef, ServiceFacts, TypeDef,
            WireType,
        };

        /// The offset from UTC in which the service reads and writes every `datetime` value
        /// (`YYYY-MM-DD HH:MM:SS`), as written in an RFC 3339 time.
        pub const TIME_ZONE: &str = #zone_text;
        /// [`TIME_ZONE`] in seconds east of UTC.
        pub const UTC_OFFSET_SECS: i32 = #zone_offset;
        /// Largest request body the service accepts, in bytes.
        pub const MAX_BODY_BYTES: usize = #max_body;

        /// Each action's facts as a constant named after it (`INVOKE`, `GET_FUNCTION_LOGS`),
        /// usable in other constants.
        pub mod facts {
            use crate::catalog::{ActionFacts, OutputMemberDef, WireType};

            #(#action_facts)*
        }

        /// The service's facts, every action's facts and the shared types as answers carry
        /// them.
        pub static FACTS: ServiceFacts = ServiceFacts {
            time_zone: TIME_ZONE,
            utc_offset_secs: UTC_OFFSET_SECS,
            max_body_bytes: MAX_BODY_BYTES,
            actions: &[#(facts::#fact_names),*],
            types: &[#(#output_types),*],
        };

        /// Every action and shared type of the spec.
        pub static CATALOG: Catalog = Catalog {
            service: #service,
            version: #version,
            actions: &[#(#actions),*],
            types: &[#(#types),*],
            common_errors: &[#(#common),*],
        };
    };
    let module = quote! {
        //! Written by `cargo xtask codegen`; do not edit.
        pub mod catalog;
    };
    let mut out = vec![
        render(spec, "catalog.rs".into(), catalog)?,
        render(spec, "mod.rs".into(), module)?,
    ];
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A member as the catalog checks requests with it.
fn wire(m: &Member) -> TokenStream {
    let name = &m.name;
    let ty = wire_type(&m.ty);
    let list = m.list;
    let required = m.required;
    quote!(MemberDef { name: #name, ty: #ty, list: #list, required: #required })
}

/// A member as answers carry it.
fn output_member(m: &Member) -> TokenStream {
    let name = &m.name;
    let ty = wire_type(&m.ty);
    let (list, required, nullable) = (m.list, m.required, m.nullable);
    quote!(OutputMemberDef { name: #name, ty: #ty, list: #list, required: #required, nullable: #nullable })
}

/// One action's `ActionDef`: inputs, example answer, rate limit, documented errors.
fn action_def(a: &Action) -> TokenStream {
    let name = &a.name;
    let input = a.input.iter().map(wire);
    let example = a.examples.first().and_then(|ex| {
        let mut out = ex.output.as_object()?.clone();
        out.remove("RequestId");
        serde_json::to_string(&out).ok()
    });
    let example = match example {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let rate = match a.rate_limit {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let errors = &a.errors;
    quote!(ActionDef { name: #name, input: &[#(#input),*], example_output: #example, rate_limit: #rate, errors: &[#(#errors),*] })
}

/// One action's `facts::<ACTION>` constant.
fn action_facts(a: &Action, ident: &syn::Ident) -> TokenStream {
    let name = &a.name;
    let doc = doc(&format!(
        "What the spec says about `{name}` besides its inputs."
    ));
    let output = a.output.iter().map(output_member);
    let max_duration = option(a.max_duration_secs.map(|n| quote!(#n)));
    let max_window = option(
        a.pagination
            .as_ref()
            .and_then(|p| p.max_window)
            .map(|n| quote!(#n)),
    );
    let event_limits = option(a.event_limits.as_ref().map(|e| {
        let member = &e.member;
        let sync = e.max_sync_bytes as usize;
        let asynchronous = option(e.max_async_bytes.map(|n| {
            let n = n as usize;
            quote!(#n)
        }));
        quote!(crate::catalog::EventLimits { member: #member, max_sync_bytes: #sync, max_async_bytes: #asynchronous })
    }));
    let time_range = option(a.time_range.as_ref().map(|t| {
        let (start, end, max_secs) = (&t.start, &t.end, t.max_secs);
        quote!(crate::catalog::TimeRange { start: #start, end: #end, max_secs: #max_secs })
    }));
    quote! {
        #doc
        pub const #ident: ActionFacts = ActionFacts {
            name: #name,
            output: &[#(#output),*],
            max_duration_secs: #max_duration,
            max_window: #max_window,
            event_limits: #event_limits,
            time_range: #time_range,
        };
    }
}
