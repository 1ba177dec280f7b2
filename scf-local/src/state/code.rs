//! Code packages: decoding inline base64 ZIP files, where a package's files come from, and the
//! digest, location and size shown for stored code.

use std::sync::Arc;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The strings of list member `member` of `object` (empty when absent).
pub(crate) fn string_list<'v>(object: &'v Map<String, Value>, member: &str) -> Vec<&'v str> {
    object
        .get(member)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A string member of a stored request (`""` when absent).
pub(crate) fn str_member<'v>(request: &'v Map<String, Value>, member: &str) -> &'v str {
    request.get(member).and_then(Value::as_str).unwrap_or("")
}

/// Where a layer version's files come from, as checked by [`check_content`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Source<'a> {
    /// A base64-encoded ZIP file, decoded.
    Zip(Vec<u8>),
    /// A COS object: bucket, object, optional region.
    Cos(&'a str, &'a str, Option<&'a str>),
    /// A temporary COS object.
    TempCos(&'a str),
}

/// Checks that `content` names exactly one source of files: `ZipFile`, the pair
/// `CosBucketName` + `CosObjectName`, or `TempCosObjectName`.
pub(crate) fn check_content(content: &Map<String, Value>) -> Result<Source<'_>, ApiError> {
    let member = |name: &str| {
        content
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let zip = member("ZipFile");
    let bucket = member("CosBucketName");
    let object = member("CosObjectName");
    let temp = member("TempCosObjectName");
    let cos = bucket.is_some() || object.is_some();
    let sources = usize::from(zip.is_some()) + usize::from(cos) + usize::from(temp.is_some());
    if sources != 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.Content",
            "Content must give exactly one source of layer files: ZipFile, CosBucketName with \
             CosObjectName, or TempCosObjectName.",
        ));
    }
    if let Some(zip) = zip {
        return decode_base64(zip).map(Source::Zip).ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValue.ZipFileBase64BinasciiError",
                "Content.ZipFile is not valid base64.",
            )
        });
    }
    if let Some(temp) = temp {
        return Ok(Source::TempCos(temp));
    }
    match (bucket, object) {
        (Some(bucket), Some(object)) => Ok(Source::Cos(bucket, object, member("CosBucketRegion"))),
        (None, _) => Err(ApiError::new(
            "InvalidParameterValue.CosBucketName",
            "Content.CosBucketName is required with Content.CosObjectName.",
        )),
        (_, None) => Err(ApiError::new(
            "InvalidParameterValue.CosObjectName",
            "Content.CosObjectName is required with Content.CosBucketName.",
        )),
    }
}

/// Decodes standard base64 (with or without `=` padding; ASCII whitespace is ignored).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    ENGINE.decode(compact).ok()
}

/// A code package decoded once at upload, shared by the function, its published versions and
/// the instances that run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Package {
    /// The zip file.
    pub(crate) zip: Arc<[u8]>,
    /// Its SHA-256, hex: instances of other code are never reused for it.
    pub(crate) sha256: String,
}

impl Package {
    /// The inline zip of a `Code` object (`ZipFile`), decoded; `None` for code from COS, an
    /// image, or undecodable base64 (refused at upload).
    pub(crate) fn of(code: &Map<String, Value>) -> Option<Package> {
        let zip = decode_base64(code.get("ZipFile").and_then(Value::as_str)?)?;
        Some(Package {
            sha256: hex::encode(Sha256::digest(&zip)),
            zip: zip.into(),
        })
    }
}

/// Checks an uploaded zip before it is stored: what could not be unpacked safely (paths
/// escaping the code directory, links, bombs, too many or too large files, a broken archive)
/// is `InvalidParameterValue.ZipFile`, naming `member`.
pub(crate) fn check_package(zip: &[u8], member: &str) -> Result<(), ApiError> {
    crate::runtime::package::inspect(zip)
        .map(drop)
        .map_err(|e| {
            ApiError::new(
                "InvalidParameterValue.ZipFile",
                format!("{member}: {}", e.0),
            )
        })
}

/// Checks the inline zip of a function's `Code` object, when it has one (see
/// [`check_package`]).
pub(crate) fn check_code(code: &Map<String, Value>) -> Result<(), ApiError> {
    match Package::of(code) {
        Some(package) => check_package(&package.zip, "Code.ZipFile"),
        None => Ok(()),
    }
}

/// `CodeSha256` and `Location` of a stored version's content.
///
/// A ZIP file is hashed as decoded and offered back as a `data:` URL. The emulator never
/// fetches COS objects, so for those the hash is of `bucket/object` and the location is the
/// object's COS URL (`cos://bucket/object` when no region was given).
pub(crate) fn code_info(content: &Map<String, Value>) -> (String, String) {
    match check_content(content) {
        Ok(Source::Zip(bytes)) => (
            hex::encode(Sha256::digest(&bytes)),
            format!(
                "data:application/zip;base64,{}",
                str_member(content, "ZipFile")
            ),
        ),
        Ok(Source::Cos(bucket, object, region)) => {
            let object = object.trim_start_matches('/');
            let hash = hex::encode(Sha256::digest(format!("{bucket}/{object}").as_bytes()));
            let location = match region {
                Some(region) => format!("https://{bucket}.cos.{region}.myqcloud.com/{object}"),
                None => format!("cos://{bucket}/{object}"),
            };
            (hash, location)
        }
        Ok(Source::TempCos(name)) => (
            hex::encode(Sha256::digest(name.as_bytes())),
            format!("cos://temp/{}", name.trim_start_matches('/')),
        ),
        // Stored content was checked when published.
        Err(_) => (String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn base64() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zg==").unwrap(), b"f");
        assert_eq!(decode_base64("Zm8=").unwrap(), b"fo");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9vYg").unwrap(), b"foob");
        assert_eq!(decode_base64("Zm9v\nYmFy").unwrap(), b"foobar");
        assert_eq!(
            decode_base64("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==")
                .unwrap()
                .len(),
            22
        );
        for bad in ["Z", "Zm9v!", "Zg=a", "Zg===", "Z===", "€"] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
    }

    fn content(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn content_sources() {
        let code = |v: Value| check_content(&content(v)).map(|_| ()).map_err(|e| e.code);
        assert_eq!(code(json!({"ZipFile": "Zm9v"})), Ok(()));
        assert_eq!(
            code(json!({"CosBucketName": "b", "CosObjectName": "/o.zip"})),
            Ok(())
        );
        assert_eq!(code(json!({"TempCosObjectName": "t"})), Ok(()));
        for (value, expected) in [
            (json!({}), "InvalidParameterValue.Content"),
            (json!({"ZipFile": ""}), "InvalidParameterValue.Content"),
            (
                json!({"ZipFile": "Zm9v", "CosBucketName": "b", "CosObjectName": "o"}),
                "InvalidParameterValue.Content",
            ),
            (
                json!({"ZipFile": "**"}),
                "InvalidParameterValue.ZipFileBase64BinasciiError",
            ),
            (
                json!({"CosObjectName": "o"}),
                "InvalidParameterValue.CosBucketName",
            ),
            (
                json!({"CosBucketName": "b"}),
                "InvalidParameterValue.CosObjectName",
            ),
        ] {
            assert_eq!(code(value.clone()), Err(expected.to_owned()), "{value}");
        }
    }

    #[test]
    fn code_info_per_source() {
        let (hash, location) = code_info(&content(json!({"ZipFile": "Zm9v"})));
        assert_eq!(hash, hex::encode(Sha256::digest(b"foo")));
        assert_eq!(location, "data:application/zip;base64,Zm9v");
        let (_, location) = code_info(&content(json!({
            "CosBucketName": "b-125", "CosObjectName": "/dir/o.zip", "CosBucketRegion": "ap-beijing"
        })));
        assert_eq!(
            location,
            "https://b-125.cos.ap-beijing.myqcloud.com/dir/o.zip"
        );
        let (_, location) = code_info(&content(
            json!({"CosBucketName": "b", "CosObjectName": "o.zip"}),
        ));
        assert_eq!(location, "cos://b/o.zip");
    }
}
