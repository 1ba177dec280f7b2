//! A typed time range for `GetFunctionLogs`: `StartTime` and `EndTime` from [`SystemTime`]s,
//! written in the service's format and time zone, checked before anything is sent.

use std::time::{SystemTime, UNIX_EPOCH};

use super::HelperProblem;
use crate::action::{Action, InputProblem, InvalidInput, TimeRange};
use crate::actions::{GetFunctionLogsBuilder, GetFunctionLogsError, GetFunctionLogsRequest};
use crate::error::Error;
use crate::signer::utc_date;

/// The offset of the service's times from UTC, China Standard Time (UTC+8): the spec's
/// `timeZone` (`service::UTC_OFFSET_SECS`).
///
/// The examples agree: the request IDs of the `GetFunctionLogs` and `FunctionLog` examples are
/// time-based (version 1) UUIDs, and the `StartTime` next to each is its UUID's time plus
/// exactly eight hours (tested below).
const SERVICE_UTC_OFFSET_SECS: i64 = crate::generated::UTC_OFFSET_SECS as i64;

/// `GetFunctionLogs`' time range, from the spec (`timeRange`): `StartTime` to `EndTime`, at
/// most `max_secs` apart.
const LOG_RANGE: TimeRange = match <GetFunctionLogsRequest as Action>::META.time_range {
    Some(range) => range,
    None => panic!("the spec gives GetFunctionLogs no timeRange"),
};

/// Seconds since the unix epoch of 10000-01-01 00:00:00: the first time four year digits
/// cannot show.
const YEAR_10000: u64 = 253_402_300_800;

/// `time` as the service writes times, `YYYY-MM-DD HH:MM:SS` in UTC+8, truncated to the
/// second; `None` before 1970 or from the year 10000.
fn service_time(time: SystemTime) -> Option<(u64, String)> {
    let secs = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let local = secs.checked_add_signed(SERVICE_UTC_OFFSET_SECS)?;
    if local >= YEAR_10000 {
        return None;
    }
    let of_day = local % 86_400;
    let text = format!(
        "{} {:02}:{:02}:{:02}",
        utc_date(local),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    );
    Some((secs, text))
}

impl GetFunctionLogsBuilder {
    /// Sets `StartTime` and `EndTime`: the logs of executions that started from `start` to
    /// `end`, both included.
    ///
    /// The times are written as the service reads them, `YYYY-MM-DD HH:MM:SS` in the
    /// service's time zone (the spec's `timeZone`, China Standard Time), truncated to the
    /// second. Fails before anything is sent, with
    /// [`ErrorKind::InvalidInput`] listing every problem, when `start` is later than `end`
    /// ([`HelperProblem::StartAfterEnd`]), when they are further apart than the spec's `timeRange` allows (one day)
    /// ([`HelperProblem::RangeTooWide`]), or when a time is before 1970 or after 9999
    /// ([`HelperProblem::TimeOutOfRange`]).
    ///
    /// ```no_run
    /// # async fn demo(client: scf_api::Client) -> Result<(), scf_api::Error<scf_api::actions::GetFunctionLogsError>> {
    /// use std::time::{Duration, SystemTime};
    ///
    /// let now = SystemTime::now();
    /// let logs = client
    ///     .get_function_logs()
    ///     .function_name("orders")
    ///     .time_range(now - Duration::from_secs(3600), now)?
    ///     .send()
    ///     .await?;
    /// for log in logs.data {
    ///     println!("{} {} {}", log.start_time, log.request_id, log.ret_msg);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub fn time_range(
        self,
        start: SystemTime,
        end: SystemTime,
    ) -> Result<Self, Error<GetFunctionLogsError>> {
        let (start_text, end_text) = time_range(LOG_RANGE, start, end)
            .map_err(|e| Error::invalid_input(<GetFunctionLogsRequest as Action>::META.name, e))?;
        Ok(self.start_time(start_text).end_time(end_text))
    }
}

/// The texts of a time range from `start` to `end` (inputs `range.start` and `range.end`, at
/// most `range.max_secs` apart), or every problem with it.
fn time_range(
    range: TimeRange,
    start: SystemTime,
    end: SystemTime,
) -> Result<(String, String), InvalidInput> {
    let (start_member, end_member) = (range.start, range.end);
    let mut problems = Vec::new();
    let from = service_time(start);
    if from.is_none() {
        problems.push(InputProblem::Helper(HelperProblem::TimeOutOfRange {
            member: start_member,
        }));
    }
    let to = service_time(end);
    if to.is_none() {
        problems.push(InputProblem::Helper(HelperProblem::TimeOutOfRange {
            member: end_member,
        }));
    }
    if start > end {
        problems.push(InputProblem::Helper(HelperProblem::StartAfterEnd {
            start: start_member,
            end: end_member,
        }));
    }
    match (from, to) {
        (Some((from_secs, from_text)), Some((to_secs, to_text))) if problems.is_empty() => {
            // The service compares the texts, which are truncated to the second.
            let span_secs = to_secs - from_secs;
            if span_secs > range.max_secs {
                problems.push(InputProblem::Helper(HelperProblem::RangeTooWide {
                    start: start_member,
                    end: end_member,
                    span_secs,
                    limit_secs: range.max_secs,
                }));
            }
            InvalidInput::check(problems).map(|()| (from_text, to_text))
        }
        _ => Err(InvalidInput::check(problems).expect_err("a problem was found")),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::{Client, Credentials, ErrorKind};

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn text(secs: u64) -> String {
        service_time(at(secs)).unwrap().1
    }

    #[test]
    fn times_are_written_in_utc_plus_8() {
        assert_eq!(text(0), "1970-01-01 08:00:00");
        // The spec's examples: FunctionLog 633934da-c2b6-11ef-... was created at
        // 2024-12-25 11:50:07 UTC and shows StartTime 2024-12-25 19:50:07; GetFunctionLogs'
        // bc309eaa-6d64-11e8-... at 2018-06-11 10:46:45 UTC shows 2018-06-11 18:46:45.
        assert_eq!(text(1_735_127_407), "2024-12-25 19:50:07");
        assert_eq!(text(1_528_714_005), "2018-06-11 18:46:45");
        // 16:00 UTC is midnight of the next day, across a year and into a leap day.
        assert_eq!(text(1_704_038_400), "2024-01-01 00:00:00");
        assert_eq!(text(1_704_038_399), "2023-12-31 23:59:59");
        assert_eq!(text(1_709_136_000), "2024-02-29 00:00:00");
        // Sub-second parts are truncated.
        let t = at(1_735_127_407) + Duration::from_millis(999);
        assert_eq!(service_time(t).unwrap().1, "2024-12-25 19:50:07");
        // The last second four year digits can show, in UTC+8.
        let offset = SERVICE_UTC_OFFSET_SECS as u64;
        assert_eq!(text(YEAR_10000 - offset - 1), "9999-12-31 23:59:59");
        assert_eq!(service_time(at(YEAR_10000 - offset)), None);
        assert_eq!(service_time(UNIX_EPOCH - Duration::from_secs(1)), None);
    }

    #[test]
    fn the_spec_states_the_zone_and_the_range() {
        assert_eq!(crate::service::TIME_ZONE, "+08:00");
        assert_eq!(SERVICE_UTC_OFFSET_SECS, 8 * 3600);
        assert_eq!(
            LOG_RANGE,
            TimeRange {
                start: "StartTime",
                end: "EndTime",
                max_secs: 86_400,
            }
        );
    }

    #[test]
    fn ranges_are_checked() {
        let start = at(1_735_127_407);
        let ok = time_range(LOG_RANGE, start, start + Duration::from_secs(3600));
        assert_eq!(
            ok,
            Ok((
                "2024-12-25 19:50:07".to_owned(),
                "2024-12-25 20:50:07".to_owned()
            ))
        );
        // An empty range and exactly one day are fine.
        assert!(time_range(LOG_RANGE, start, start).is_ok());
        let day = Duration::from_secs(86_400);
        assert!(time_range(LOG_RANGE, start, start + day).is_ok());
        // Within the same second of the end, as the texts show it.
        let late_start = start + Duration::from_millis(500);
        let end = start + day + Duration::from_millis(900);
        assert!(time_range(LOG_RANGE, late_start, end).is_ok());

        let wide = time_range(LOG_RANGE, start, start + day + Duration::from_secs(1));
        assert_eq!(
            wide.unwrap_err().problems(),
            [InputProblem::Helper(HelperProblem::RangeTooWide {
                start: "StartTime",
                end: "EndTime",
                span_secs: 86_401,
                limit_secs: 86_400,
            })]
        );
        let reversed = time_range(LOG_RANGE, start + Duration::from_millis(1), start);
        assert_eq!(
            reversed.unwrap_err().problems(),
            [InputProblem::Helper(HelperProblem::StartAfterEnd {
                start: "StartTime",
                end: "EndTime",
            })]
        );
        let before_1970 = UNIX_EPOCH - Duration::from_secs(10);
        let both = time_range(LOG_RANGE, start, before_1970).unwrap_err();
        assert_eq!(
            both.problems(),
            [
                InputProblem::Helper(HelperProblem::TimeOutOfRange { member: "EndTime" }),
                InputProblem::Helper(HelperProblem::StartAfterEnd {
                    start: "StartTime",
                    end: "EndTime",
                }),
            ]
        );
        assert_eq!(
            both.to_string(),
            "input `EndTime` is outside the years 1970 to 9999 the service's time format \
             covers; input `StartTime` is later than `EndTime`"
        );
    }

    #[test]
    fn builder_sets_both_times_or_fails_before_sending() {
        let client = Client::builder()
            .credentials(Credentials::new("AKIDtest", "secret"))
            .region("ap-guangzhou")
            .build()
            .unwrap();
        let start = at(1_735_127_407);
        let request = client
            .get_function_logs()
            .time_range(start, start + Duration::from_secs(59))
            .unwrap()
            .into_request();
        assert_eq!(request.start_time.as_deref(), Some("2024-12-25 19:50:07"));
        assert_eq!(request.end_time.as_deref(), Some("2024-12-25 19:51:06"));

        let e = client
            .get_function_logs()
            .time_range(start, start - Duration::from_secs(1))
            .unwrap_err();
        assert_eq!(e.action(), "GetFunctionLogs");
        assert_eq!(e.attempts(), 0);
        assert!(matches!(e.kind(), ErrorKind::InvalidInput(_)));
        assert_eq!(
            e.to_string(),
            "GetFunctionLogs: invalid input: input `StartTime` is later than `EndTime`"
        );
        let e = client
            .get_function_logs()
            .time_range(start, start + Duration::from_secs(2 * 86_400))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "GetFunctionLogs: invalid input: inputs `StartTime` and `EndTime` are 172800 \
             seconds apart, over the 86400-second limit"
        );
    }
}
