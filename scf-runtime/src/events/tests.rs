//! Each event type against an event of the documented shape (values made up), plus leniency.

use serde_json::json;

use super::api_gateway::{ApiGatewayRequest, ApiGatewayResponse, QueryValue};
use super::ckafka::CkafkaEvent;
use super::cls::{ClsEvent, ClsLogData};
use super::cmq::{CmqEvent, CmqTags};
use super::cos::CosEvent;
use super::timer::TimerEvent;

fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the event decodes")
}

#[test]
fn timer() {
    let event: TimerEvent = decode(json!({
        "Type": "Timer", "TriggerName": "nightly", "Time": "2024-01-02T03:04:05Z",
        "Message": "run the report", "Unknown": 1
    }));
    assert_eq!(event.r#type, "Timer");
    assert_eq!(event.trigger_name, "nightly");
    assert_eq!(event.time, "2024-01-02T03:04:05Z");
    assert_eq!(event.message, "run the report");
    assert_eq!(decode::<TimerEvent>(json!({})), TimerEvent::default());
}

#[test]
fn api_gateway_request_and_response() {
    let event: ApiGatewayRequest = decode(json!({
        "requestContext": {
            "serviceId": "service-abc", "path": "/pets/{id}", "httpMethod": "GET",
            "requestId": "gw-1", "identity": {"secretId": null}, "sourceIp": "192.0.2.7",
            "stage": "release"
        },
        "headers": {"Host": "example.invalid"},
        "body": "",
        "pathParameters": {"id": "7"},
        "queryStringParameters": {},
        "headerParameters": {},
        "stageVariables": {"stage": "release"},
        "path": "/pets/7",
        "queryString": {"a": "1", "b": ["2", "3"], "c": true},
        "httpMethod": "GET"
    }));
    assert_eq!(event.request_context.service_id, "service-abc");
    assert_eq!(event.request_context.identity.secret_id, None);
    assert_eq!(event.path_parameters["id"], "7");
    assert_eq!(event.query_string["a"], QueryValue::One("1".into()));
    assert_eq!(
        event.query_string["b"],
        QueryValue::Many(vec!["2".into(), "3".into()])
    );
    assert_eq!(event.query_string["c"], QueryValue::Flag(true));
    assert_eq!(event.http_method, "GET");

    let response = ApiGatewayResponse::new(404, "missing").header("X-A", "b");
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({"isBase64Encoded": false, "statusCode": 404, "headers": {"X-A": "b"}, "body": "missing"})
    );
}

#[test]
fn cos() {
    let event: CosEvent = decode(json!({"Records": [{
        "cos": {
            "cosSchemaVersion": "1.0",
            "cosObject": {"url": "https://b.example.invalid/k", "meta": {"Content-Type": "text/plain"},
                          "vid": "", "key": "/1250000000/bucket/k", "size": 12},
            "cosBucket": {"region": "gz", "name": "bucket", "appid": "1250000000"},
            "cosNotificationId": "n"
        },
        "event": {
            "eventName": "cos:ObjectCreated:Put", "eventVersion": "1.0", "eventTime": 1700000000,
            "eventSource": "qcs::cos", "requestParameters": {"requestSourceIP": "192.0.2.1",
            "requestHeaders": {"Authorization": "x"}}, "eventQueue": "q", "reservedInfo": "",
            "reqid": 42
        }
    }]}));
    let record = &event.records[0];
    assert_eq!(record.cos.cos_object.size, 12);
    assert_eq!(record.cos.cos_bucket.appid, "1250000000");
    assert_eq!(record.event.event_name, "cos:ObjectCreated:Put");
    assert_eq!(
        record.event.request_parameters.request_source_ip,
        "192.0.2.1"
    );
    assert_eq!(record.event.reqid, 42);
}

#[test]
fn cmq_with_either_tag_form() {
    let event: CmqEvent = decode(json!({"Records": [
        {"CMQ": {"type": "topic", "topicOwner": 100000, "topicName": "t", "subscriptionName": "s",
                 "publishTime": "2024-01-01T00:00:00.000Z", "msgId": "m1", "requestId": "r1",
                 "msgBody": "hi", "msgTag": "a,b"}},
        {"CMQ": {"msgBody": "again", "msgTag": ["c"]}}
    ]}));
    assert_eq!(event.records[0].cmq.topic_owner, 100000);
    assert_eq!(event.records[0].cmq.msg_body, "hi");
    let tags: Vec<Vec<String>> = event
        .records
        .iter()
        .map(|r| {
            r.cmq
                .msg_tag
                .as_ref()
                .map(CmqTags::to_vec)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(tags, [vec!["a", "b"], vec!["c"]]);
}

#[test]
fn ckafka() {
    let event: CkafkaEvent = decode(json!({"Records": [
        {"Ckafka": {"topic": "t", "partition": 2, "offset": 9, "msgKey": "k", "msgBody": "v"}}
    ]}));
    let message = &event.records[0].ckafka;
    assert_eq!(
        (message.partition, message.offset, message.msg_key.as_str()),
        (2, 9, "k")
    );
}

#[test]
fn cls_and_its_decoded_data() {
    let event: ClsEvent = decode(json!({"clslogs": {"data": "H4sI"}}));
    assert_eq!(event.clslogs.data, "H4sI");
    let data: ClsLogData = decode(json!({
        "topic_id": "id", "topic_name": "name",
        "records": [{"timestamp": "1700000000000000", "content": "line"}]
    }));
    assert_eq!(data.records[0].content, "line");
}
