//! Generated paginators against the stateful scf-local: every item exactly once, page sizes
//! and offsets on the wire, errors ending the listing, string-typed paging members
//! (`ListAliases`), documented maximum page sizes (`ListAsyncEvents`) and the
//! `GetFunctionLogs` window.

use std::collections::BTreeSet;
use std::pin::Pin;

use futures_core::Stream;
use scf_api::{CallOptions, Client, ErrorCode};
use scf_api_tests::{client_for, empty_code};
use scf_local::{Fault, Server};

const NAMESPACE: &str = "paging";
const FUNCTIONS: usize = 250;

/// The next element of any stream, with no other crate than `futures-core`.
async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// A server whose namespace `paging` holds `FUNCTIONS` functions, and their names.
async fn server_with_functions() -> (Server, Client, BTreeSet<String>) {
    let server = Server::start().await.expect("scf-local starts");
    let client = client_for(&server);
    client
        .create_namespace()
        .namespace(NAMESPACE)
        .send()
        .await
        .expect("namespace created");
    let mut names = BTreeSet::new();
    for i in 0..FUNCTIONS {
        let name = format!("fn-{i:03}");
        client
            .create_function()
            .function_name(&name)
            .namespace(NAMESPACE)
            .code(empty_code())
            .send()
            .await
            .expect("function created");
        names.insert(name);
    }
    server.clear_requests();
    (server, client, names)
}

/// The `(Offset, Limit)` of every recorded request of `action`, as JSON values.
fn paging(server: &Server, action: &str) -> Vec<(serde_json::Value, serde_json::Value)> {
    server
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(action))
        .map(|r| {
            let body = r.json().expect("a JSON body");
            (body["Offset"].clone(), body["Limit"].clone())
        })
        .collect()
}

#[tokio::test]
async fn next_page_lists_every_function_once() {
    let (server, client, names) = server_with_functions().await;
    let mut pages = client
        .list_functions()
        .namespace(NAMESPACE)
        .limit(20)
        .into_paginator();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.expect("page listed");
        assert!(page.functions.len() <= 20);
        assert_eq!(page.total_count, FUNCTIONS as i64);
        seen.extend(page.functions.into_iter().map(|f| f.function_name));
    }
    assert!(pages.next_page().await.is_none(), "the listing stays over");
    assert_eq!(seen.len(), FUNCTIONS, "each function exactly once");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), names);
    assert_eq!(pages.pages(), 13);
    assert_eq!(pages.next_offset(), FUNCTIONS as u64);
    assert!(!pages.window_reached());
    // The first page goes as built (no offset set); the others move on by what came back.
    let expected: Vec<_> = (0..13)
        .map(|i| {
            let offset = if i == 0 {
                serde_json::Value::Null
            } else {
                serde_json::json!(i * 20)
            };
            (offset, serde_json::json!(20))
        })
        .collect();
    assert_eq!(paging(&server, "ListFunctions"), expected);
}

#[tokio::test]
async fn streams_of_pages_and_items_list_every_function_once() {
    let (server, client, names) = server_with_functions().await;

    let mut pages = client
        .list_functions()
        .namespace(NAMESPACE)
        .limit(20)
        .into_paginator();
    let mut from_pages = Vec::new();
    while let Some(page) = next(&mut pages).await {
        from_pages.extend(page.unwrap().functions.into_iter().map(|f| f.function_name));
    }
    assert_eq!(from_pages.len(), FUNCTIONS);
    assert_eq!(from_pages.iter().cloned().collect::<BTreeSet<_>>(), names);

    let mut items = client
        .list_functions()
        .namespace(NAMESPACE)
        .limit(20)
        .into_paginator()
        .items();
    let mut from_items = Vec::new();
    while let Some(function) = next(&mut items).await {
        from_items.push(function.unwrap().function_name);
    }
    assert_eq!(from_items, from_pages, "the same items in the same order");
    assert_eq!(items.paginator().pages(), 13);

    // `collect_all` and `next_item`, starting at an offset.
    let rest = client
        .list_functions()
        .namespace(NAMESPACE)
        .offset(230)
        .limit(20)
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(rest.len(), 20);
    let names: Vec<String> = rest.into_iter().map(|f| f.function_name).collect();
    assert_eq!(names, from_pages[230..]);
    server.clear_requests();
    let mut one = client
        .list_functions()
        .namespace(NAMESPACE)
        .offset(249)
        .into_paginator()
        .items();
    assert_eq!(
        one.next_item().await.unwrap().unwrap().function_name,
        from_pages[249]
    );
    assert!(one.next_item().await.is_none());
    // No limit and none documented: the service's default page size (the request's own).
    assert_eq!(
        paging(&server, "ListFunctions"),
        [(serde_json::json!(249), serde_json::Value::Null)]
    );
}

#[tokio::test]
async fn an_error_mid_way_is_yielded_once_and_ends_the_listing() {
    let (server, client, _) = server_with_functions().await;
    let mut pages = client
        .list_functions()
        .namespace(NAMESPACE)
        .limit(20)
        .into_paginator();
    for _ in 0..3 {
        pages.next_page().await.unwrap().unwrap();
    }
    server.push_fault(Fault::service_error("InternalError", "injected"));
    let err = pages.next_page().await.unwrap().unwrap_err();
    assert_eq!(err.code().map(|c| c.code()), Some("InternalError"));
    assert!(pages.next_page().await.is_none(), "nothing after the error");
    assert!(pages.next_page().await.is_none());
    assert_eq!(
        paging(&server, "ListFunctions").len(),
        4,
        "no request after it"
    );

    // The same for items: 40 items come from two pages, the third page fails.
    server.clear_requests();
    let mut items = client
        .list_functions()
        .namespace(NAMESPACE)
        .limit(20)
        .into_paginator()
        .items();
    for _ in 0..40 {
        next(&mut items).await.unwrap().unwrap();
    }
    server.push_fault(Fault::service_error("InternalError", "injected"));
    let err = next(&mut items).await.unwrap().unwrap_err();
    assert_eq!(err.code().map(|c| c.code()), Some("InternalError"));
    assert!(next(&mut items).await.is_none());
    assert_eq!(paging(&server, "ListFunctions").len(), 3);
}

#[tokio::test]
async fn call_options_apply_to_every_page() {
    let (server, client, _) = server_with_functions().await;
    let pages = client
        .list_functions()
        .namespace(NAMESPACE)
        .limit(100)
        .options(CallOptions::new().region("ap-shanghai"))
        .into_paginator();
    let functions = pages.items().collect_all().await.unwrap();
    assert_eq!(functions.len(), FUNCTIONS);
    let regions: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("x-tc-region").map(str::to_owned))
        .collect();
    assert_eq!(regions, vec![Some("ap-shanghai".to_owned()); 3]);
}

#[tokio::test]
async fn string_paging_members_and_documented_page_sizes() {
    let server = Server::start().await.unwrap();
    let client = client_for(&server);
    client
        .create_function()
        .function_name("aliased")
        .code(empty_code())
        .send()
        .await
        .unwrap();
    for i in 0..6 {
        client
            .create_alias()
            .function_name("aliased")
            .name(format!("a{i}"))
            .function_version("$LATEST")
            .send()
            .await
            .unwrap();
    }
    server.clear_requests();
    // ListAliases takes `Offset` and `Limit` as strings of digits.
    let aliases = client
        .list_aliases()
        .function_name("aliased")
        .limit("2")
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    let names: Vec<&str> = aliases.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), 7, "{names:?}");
    let requests = paging(&server, "ListAliases");
    assert_eq!(
        requests[1],
        (serde_json::json!("2"), serde_json::json!("2"))
    );
    assert_eq!(requests.len(), 4);

    // ListAsyncEvents documents at most 100 per page: without a limit, the paginator asks for
    // that many.
    for _ in 0..3 {
        client
            .invoke()
            .function_name("aliased")
            .invocation_type("Event")
            .send()
            .await
            .unwrap();
    }
    server.clear_requests();
    let events = client
        .list_async_events()
        .function_name("aliased")
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(
        paging(&server, "ListAsyncEvents"),
        [(serde_json::Value::Null, serde_json::json!(100))]
    );
}

#[tokio::test]
async fn function_logs_stay_within_their_window() {
    let server = Server::start().await.unwrap();
    let client = client_for(&server);
    client
        .create_function()
        .function_name("logged")
        .code(empty_code())
        .send()
        .await
        .unwrap();
    for _ in 0..5 {
        client
            .invoke()
            .function_name("logged")
            .send()
            .await
            .unwrap();
    }
    server.clear_requests();
    let logs = client
        .get_function_logs()
        .function_name("logged")
        .limit(2)
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(logs.len(), 5);
    let ids: BTreeSet<&str> = logs.iter().map(|l| l.request_id.as_str()).collect();
    assert_eq!(ids.len(), 5);

    // Near the end of the window (Offset + Limit <= 10000), the page is shortened to fit and the
    // listing stops at the window.
    server.clear_requests();
    let mut pages = client
        .get_function_logs()
        .function_name("logged")
        .offset(9_995)
        .limit(20)
        .into_paginator();
    let page = pages.next_page().await.unwrap().unwrap();
    assert!(page.data.is_empty());
    assert!(pages.next_page().await.is_none());
    assert_eq!(
        paging(&server, "GetFunctionLogs"),
        [(serde_json::json!(9_995), serde_json::json!(5))]
    );
    let mut past = client
        .get_function_logs()
        .function_name("logged")
        .offset(10_000)
        .into_paginator();
    assert!(past.next_page().await.is_none(), "nothing can be listed");
    assert!(past.window_reached());
}
