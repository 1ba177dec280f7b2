//! The README's table of what scf-local emulates lists every action of the spec, and says
//! truthfully which ones are answered from the emulated account's state.

const README: &str = include_str!("../../README.md");

/// The `| `Action` | answer |` rows of the support table.
fn rows() -> Vec<(String, String)> {
    let start = README
        .find("<!-- support-table:start -->")
        .expect("README has the support table markers");
    let end = README
        .find("<!-- support-table:end -->")
        .expect("README has the support table end marker");
    README[start..end]
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let name = cells.first()?.strip_prefix('`')?.strip_suffix('`')?;
            Some((name.to_owned(), cells.get(1)?.to_string()))
        })
        .collect()
}

#[test]
fn support_table_lists_every_action_truthfully() {
    let rows = rows();
    let actions: Vec<&str> = scf_local::CATALOG.actions.iter().map(|a| a.name).collect();
    let listed: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        listed, actions,
        "one row per action, in the catalog's (alphabetical) order"
    );
    for (name, answer) in &rows {
        let expected = if scf_local::is_stateful(name) {
            "from state"
        } else {
            "spec example"
        };
        assert_eq!(answer, expected, "README row for {name}");
    }
    assert_eq!(rows.len(), 52);
}
