//! An action's `pagination`.

use super::*;

impl Cx {
    /// The `pagination` key: the members it names must exist with fitting types.
    pub(super) fn pagination(
        &mut self,
        file: &str,
        v: &Value,
        input: &[Member],
        output: &[Member],
    ) -> Option<Pagination> {
        let o = self.obj(file, "$.pagination", v, keys::PAGINATION)?;
        let named = |cx: &mut Cx, key: &str, side: &str, members: &[Member]| {
            let name = cx.string(&o, key, true)?;
            let path = format!("$.pagination.{key}");
            let Some(m) = members.iter().find(|m| m.name == name) else {
                cx.push(
                    file,
                    &path,
                    &format!("`{name}` is not an {side} member of this action"),
                );
                return None;
            };
            let shown = format!(
                "{}{}",
                if m.list { "list of " } else { "" },
                m.ty.spec_name()
            );
            let fits = match key {
                "offset" | "limit" => {
                    !m.list && matches!(m.ty, Ty::Integer | Ty::Unsigned | Ty::String)
                }
                "items" => m.list && matches!(m.ty, Ty::Named(_)),
                _ => !m.list && matches!(m.ty, Ty::Integer | Ty::Unsigned),
            };
            if !fits {
                let expected = match key {
                    "offset" | "limit" => "an integer, unsigned or string (digits) input",
                    "items" => "a list of a shared type",
                    _ => "an integer or unsigned output",
                };
                cx.push(
                    file,
                    &path,
                    &format!("{key} member `{name}` must be {expected}, not `{shown}`"),
                );
            }
            Some(name)
        };
        let offset = named(self, "offset", "input", input);
        let limit = named(self, "limit", "input", input);
        let items = named(self, "items", "output", output);
        let total = named(self, "total", "output", output);
        let max_page_size = self.uint(&o, "maxPageSize", false);
        let max_window = self.uint(&o, "maxWindow", false);
        if offset.is_some() && offset == limit {
            self.push(
                file,
                "$.pagination.limit",
                "offset and limit must be different members",
            );
        }
        if let (Some(page), Some(window)) = (max_page_size, max_window) {
            if page > window {
                self.push(
                    file,
                    "$.pagination.maxPageSize",
                    &format!("maxPageSize {page} is larger than maxWindow {window}"),
                );
            }
        }
        Some(Pagination {
            offset: offset?,
            limit: limit?,
            items: items?,
            total: total?,
            max_page_size,
            max_window,
        })
    }
}
