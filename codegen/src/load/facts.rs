//! Facts the client and the emulator both need, read where the spec states them: an action's
//! `eventLimits` and `timeRange`, and the service's `timeZone` (see "Limits stated once" in
//! `mod.rs`).

use super::*;

impl Cx {
    /// The `eventLimits` key: the event must be a string input (not a list); the limits are
    /// positive byte counts.
    pub(super) fn event_limits(
        &mut self,
        file: &str,
        v: &Value,
        input: &[Member],
    ) -> Option<EventLimits> {
        let o = self.obj(file, "$.eventLimits", v, keys::EVENT_LIMITS)?;
        let member = self.string(&o, "member", true);
        let max_sync_bytes = self.uint(&o, "maxSyncBytes", true);
        let max_async_bytes = self.uint(&o, "maxAsyncBytes", false);
        let member = member?;
        match input.iter().find(|m| m.name == member) {
            None => self.push(
                file,
                "$.eventLimits.member",
                &format!("`{member}` is not an input member of this action"),
            ),
            Some(m) if m.list || m.ty != Ty::String => self.push(
                file,
                "$.eventLimits.member",
                &format!(
                    "the event member `{member}` must be a string input, not `{}{}`",
                    if m.list { "list of " } else { "" },
                    m.ty.spec_name()
                ),
            ),
            Some(_) => {}
        }
        Some(EventLimits {
            member,
            max_sync_bytes: max_sync_bytes?,
            max_async_bytes,
        })
    }

    /// The `timeRange` key: two different `datetime` inputs and a positive span in seconds.
    pub(super) fn time_range(
        &mut self,
        file: &str,
        v: &Value,
        input: &[Member],
    ) -> Option<TimeRange> {
        let o = self.obj(file, "$.timeRange", v, keys::TIME_RANGE)?;
        let mut ends = Vec::new();
        for key in ["start", "end"] {
            let Some(name) = self.string(&o, key, true) else {
                continue;
            };
            let path = format!("$.timeRange.{key}");
            match input.iter().find(|m| m.name == name) {
                None => self.push(
                    file,
                    &path,
                    &format!("`{name}` is not an input member of this action"),
                ),
                Some(m) if m.list || m.ty != Ty::Datetime => self.push(
                    file,
                    &path,
                    &format!(
                        "the {key} member `{name}` must be a `datetime` input, not `{}{}`",
                        if m.list { "list of " } else { "" },
                        m.ty.spec_name()
                    ),
                ),
                Some(_) => {}
            }
            ends.push(name);
        }
        let max_secs = self.uint(&o, "maxSecs", true);
        let [start, end] = <[String; 2]>::try_from(ends).ok()?;
        if start == end {
            self.push(
                file,
                "$.timeRange.end",
                "start and end must be different members",
            );
        }
        Some(TimeRange {
            start,
            end,
            max_secs: max_secs?,
        })
    }
}

/// The offset in seconds of a time zone written `+HH:MM` or `-HH:MM` (from -12:00 to +14:00,
/// minutes below 60); `None` when it is not written so.
pub(super) fn parse_time_zone(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let two = |i: usize| -> Option<i32> {
        let (h, l) = (b[i], b[i + 1]);
        (h.is_ascii_digit() && l.is_ascii_digit())
            .then(|| i32::from(h - b'0') * 10 + i32::from(l - b'0'))
    };
    let (hours, minutes) = (two(1)?, two(4)?);
    let secs = sign * (hours * 3600 + minutes * 60);
    (minutes < 60 && (-12 * 3600..=14 * 3600).contains(&secs)).then_some(secs)
}
