//! Reserved concurrency per function (Put/Get/DeleteReservedConcurrencyConfig) and the
//! account's total quota (PutTotalConcurrencyConfig).

use super::*;

pub(super) fn put_reserved(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.required("FunctionName");
    let namespace = ctx.namespace();
    let requested = ctx
        .params
        .get(RESERVED)
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let mut store = ctx.store();
    let f = store.function(namespace, name)?;
    let others = functions(&store)
        .filter(|(ns, other)| !(*ns == namespace && other.name == name))
        .filter_map(|(_, other)| reserved_mem(other))
        .fold(0, u64::saturating_add);
    let limit = total_mem(&store).saturating_sub(UNRESERVED_MEM);
    if others.saturating_add(requested) > limit {
        return Err(ApiError::new(
            "LimitExceeded.FunctionReservedConcurrencyMemory",
            format!(
                "Reserving {requested} MB for `{name}` would bring the reservations of all \
                 functions to more than {limit} MB (the account quota minus {UNRESERVED_MEM}); \
                 at most {} MB can be reserved for it.",
                limit.saturating_sub(others)
            ),
        ));
    }
    let provisioned = provisioned_mem(f);
    if provisioned > requested {
        return Err(ApiError::new(
            "FailedOperation.ProvisionedExceedReserved",
            format!(
                "The provisioned concurrency of `{name}` takes {provisioned} MB, more than the \
                 {requested} MB to reserve; lower it first."
            ),
        ));
    }
    let f = store.function_mut(namespace, name)?;
    f.settings.insert(RESERVED.into(), json!(requested));
    Ok(Map::new())
}

pub(super) fn get_reserved(ctx: &Ctx<'_>) -> Answer {
    let store = ctx.store();
    let f = store.function(ctx.namespace(), ctx.required("FunctionName"))?;
    let mut out = Map::new();
    // Nullable: null when nothing is reserved.
    out.insert(
        "ReservedMem".into(),
        reserved_mem(f).map_or(Value::Null, Value::from),
    );
    Ok(out)
}

/// Removes the reservation; a function without one is left as it is.
pub(super) fn delete_reserved(ctx: &Ctx<'_>) -> Answer {
    let mut store = ctx.store();
    let f = store.function_mut(ctx.namespace(), ctx.required("FunctionName"))?;
    f.settings.remove(RESERVED);
    Ok(Map::new())
}

pub(super) fn put_total(ctx: &Ctx<'_>) -> Answer {
    let namespace = ctx.namespace();
    let requested = ctx
        .params
        .get(TOTAL)
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let mut store = ctx.store();
    if !store.namespaces.contains_key(namespace) {
        return Err(Missing::Namespace(namespace.to_owned()).into());
    }
    let in_use = functions(&store)
        .map(|(_, f)| used_mem(f))
        .fold(0, u64::saturating_add);
    let minimum = in_use.saturating_add(UNRESERVED_MEM);
    if requested < minimum {
        return Err(ApiError::new(
            "FailedOperation.ReservedExceedTotal",
            format!(
                "The account quota must be at least {minimum} MB: {in_use} MB are reserved or \
                 provisioned and {UNRESERVED_MEM} MB must stay unreserved; got {requested}."
            ),
        ));
    }
    store.account.insert(TOTAL.into(), json!(requested));
    Ok(Map::new())
}
