//! Text-only edits of an action: summary, docs, examples and waiter docs, reported as one
//! change per action naming the texts (never quoting them). Member, type, error and service
//! texts are compared where those items are.

use codegen::model::{Action, Example};

use super::super::change::{Change, Location};
use super::super::rules;
use super::by_name;

/// One `docs-changed` for `n` when any of its texts differ from `o`'s.
pub(super) fn action(o: &Action, n: &Action, out: &mut Vec<Change>) {
    let mut texts: Vec<String> = Vec::new();
    if o.summary != n.summary {
        texts.push("summary edited".into());
    }
    if o.docs != n.docs {
        texts.push("docs edited".into());
    }
    texts.extend(examples(&o.examples, &n.examples));
    let old_waiters = by_name(&o.waiters, |w| &w.name);
    for w in &n.waiters {
        if old_waiters
            .get(&*w.name)
            .is_some_and(|ow| ow.docs != w.docs)
        {
            texts.push(format!("docs of waiter `{}` edited", w.name));
        }
    }
    if !texts.is_empty() {
        let message = format!("texts of `{}`: {}", n.name, texts.join("; "));
        out.push(Change::new(
            &rules::DOCS_CHANGED,
            Location::action(&n.name),
            message,
        ));
    }
}

/// Examples edited, added or removed, by title.
fn examples(old: &[Example], new: &[Example]) -> Vec<String> {
    let old_by = by_name(old, |e| &e.title);
    let new_by = by_name(new, |e| &e.title);
    let mut texts = Vec::new();
    for e in new {
        match old_by.get(&*e.title) {
            None => texts.push(format!("example \"{}\" added", e.title)),
            Some(before) if *before != e => {
                texts.push(format!("example \"{}\" edited", e.title));
            }
            Some(_) => {}
        }
    }
    for e in old.iter().filter(|e| !new_by.contains_key(&*e.title)) {
        texts.push(format!("example \"{}\" removed", e.title));
    }
    if texts.is_empty() && old != new {
        texts.push("examples reordered".into());
    }
    texts
}
