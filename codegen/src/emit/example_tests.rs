//! The generated example tests (`tests/tests/generated/examples.rs`).

use super::*;

/// Generates `tests/tests/generated/examples.rs`: for every doc example, a test that the typed
/// request serializes to the example input and the typed response keeps every field of the
/// example output; and for every action, a signed call through scf-local with its first example.
pub fn example_tests(spec: &Spec) -> Result<GeneratedFile, EmitError> {
    let mut tests = Vec::new();
    for a in &spec.actions {
        let snake = names::module_file(&a.name);
        let request = format_ident!("{}Request", a.name);
        let response = format_ident!("{}Response", a.name);
        for (i, ex) in a.examples.iter().enumerate() {
            let n = i + 1;
            let test = format_ident!("{}_example_{}", snake, n);
            let label = format!("{} example {n} ({})", a.name, ex.title);
            let input = ex.input.to_string();
            let output = ex.output.to_string();
            tests.push(quote! {
                #[test]
                fn #test() {
                    request_round_trip::<scf_api::actions::#request>(#label, #input);
                    response_round_trip::<scf_api::actions::#response>(#label, #output);
                }
            });
        }
        if let Some(ex) = a.examples.first() {
            let test = format_ident!("{}_through_scf_local", snake);
            let label = format!("{} example 1 ({})", a.name, ex.title);
            let input = ex.input.to_string();
            let output = ex.output.to_string();
            tests.push(quote! {
                #[tokio::test]
                async fn #test() {
                    server_round_trip::<scf_api::actions::#request>(#label, #input, #output).await;
                }
            });
        }
    }
    let tokens = quote! {
        use scf_api_tests::examples::{request_round_trip, response_round_trip, server_round_trip};
        #(#tests)*
    };
    render(spec, "examples.rs".into(), tokens)
}
