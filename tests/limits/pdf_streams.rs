//! PDF streams in every encoding the PDF reader decodes (LZW, ASCII85 before Flate, Flate
//! behind a damaged zlib header) and encrypted object streams: a small hostile PDF of each is
//! refused with a clear error under a 2 GiB address-space cap, and nothing is archived.

use crate::common;

use common::{Ws, capped};
use std::ffi::OsStr;
use std::io::Write;

/// A one-page PDF whose content stream is `data` under `/Filter filter`.
fn pdf_with_content(filter: &str, data: &[u8]) -> Vec<u8> {
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        [
            format!("<< /Length {} /Filter {filter} >>\nstream\n", data.len()).as_bytes(),
            data,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .bytes(),
    );
    out
}

/// 40 MiB of spaces: past the 32 MiB one stream may decode to.
fn spaces() -> Vec<u8> {
    vec![b' '; 40 * 1024 * 1024]
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).expect("compresses");
    z.finish().expect("compresses")
}

/// LZW as PDF writes it: most significant bit first, the code size changing one code early.
fn lzw(data: &[u8]) -> Vec<u8> {
    weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
        .encode(data)
        .expect("encodes")
}

/// ASCII85 with its `~>` end mark.
fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(4) {
        let mut group = [0u8; 4];
        group[..chunk.len()].copy_from_slice(chunk);
        let mut n = u32::from_be_bytes(group);
        if n == 0 && chunk.len() == 4 {
            out.push(b'z');
            continue;
        }
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = (n % 85) as u8 + b'!';
            n /= 85;
        }
        out.extend(&digits[..chunk.len() + 1]);
    }
    out.extend(b"~>");
    out
}

/// A PDF 1.5 whose page objects are in an object stream found through a cross-reference
/// stream, whose trailer names an encryption dictionary.
fn encrypted_with_object_streams() -> Vec<u8> {
    let body = "1 0 2 33 << /Type /Catalog /Pages 2 0 R >> << /Type /Pages /Kids [] /Count 0 >>";
    let packed = zlib(body.as_bytes());
    let mut out = b"%PDF-1.5\n".to_vec();
    let objstm = out.len();
    out.extend(
        format!(
            "3 0 obj\n<< /Type /ObjStm /N 2 /First 8 /Length {} /Filter /FlateDecode >>\nstream\n",
            packed.len()
        )
        .bytes(),
    );
    out.extend(&packed);
    out.extend(b"\nendstream\nendobj\n");
    let encrypt = out.len();
    out.extend(
        format!(
            "4 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -44 >>\nendobj\n",
            "00".repeat(32),
            "00".repeat(32)
        )
        .bytes(),
    );
    let xref_at = out.len();
    let mut rows: Vec<[u8; 7]> = vec![[0, 0, 0, 0, 0, 0xff, 0xff], [2, 0, 0, 0, 3, 0, 0]];
    rows.push([2, 0, 0, 0, 3, 0, 1]);
    for off in [objstm, encrypt, xref_at] {
        let o = (off as u32).to_be_bytes();
        rows.push([1, o[0], o[1], o[2], o[3], 0, 0]);
    }
    let data = rows.concat();
    let id = "0123456789abcdef".repeat(2);
    out.extend(
        format!(
            "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Encrypt 4 0 R /ID [<{id}> <{id}>] /Length {} >>\nstream\n",
            data.len()
        )
        .bytes(),
    );
    out.extend(&data);
    out.extend(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").bytes());
    out
}

/// `snapshot` of `pdf` for the sample vendor, under the 2 GiB cap: refused with `message`
/// naming the file, exit 2, nothing archived and the profile unchanged.
fn refused_under_the_cap(name: &str, pdf: &[u8], message: &str) {
    assert!(pdf.len() < 100 * 1024, "{name}: {} bytes", pdf.len());
    let ws = Ws::new();
    let file = ws.path().join("inbox").join(name);
    std::fs::create_dir_all(file.parent().expect("inbox")).expect("mkdir");
    std::fs::write(&file, pdf).expect("write");
    let profile = ws.read("vendors/acme/profile.yaml");
    let run = capped(
        ws.path(),
        &[
            OsStr::new("snapshot"),
            OsStr::new("acme"),
            OsStr::new("terms"),
            file.as_os_str(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.output.stderr);
    assert_eq!(run.output.status.code(), Some(2), "{name}: {stderr}");
    assert!(
        stderr.contains(name) && stderr.contains(message),
        "{name}: {stderr}"
    );
    assert_eq!(ws.read("vendors/acme/profile.yaml"), profile, "{name}");
    let sources: Vec<_> = std::fs::read_dir(ws.path().join("vendors/acme/sources"))
        .expect("sources")
        .collect();
    assert_eq!(sources.len(), 1, "{name}: something was archived");
    eprintln!("{name}: peak RSS {:.0} MB", run.peak_mb);
    assert!(
        run.peak_mb < 400.0,
        "{name}: peak memory {:.0} MB",
        run.peak_mb
    );
}

#[test]
fn an_lzw_stream_decoding_past_the_limit_is_refused() {
    let pdf = pdf_with_content("/LZWDecode", &lzw(&spaces()));
    refused_under_the_cap("lzw.pdf", &pdf, "inflate to more than 32 MiB");
}

#[test]
fn an_ascii85_stream_around_a_flate_bomb_is_refused() {
    let pdf = pdf_with_content("[/ASCII85Decode /FlateDecode]", &ascii85(&zlib(&spaces())));
    refused_under_the_cap("a85.pdf", &pdf, "inflate to more than 32 MiB");
}

#[test]
fn a_flate_stream_behind_a_damaged_zlib_header_is_refused() {
    // The reader falls back to raw deflate after the two header bytes when zlib fails.
    let mut data = zlib(&spaces());
    data[0] = 0;
    let pdf = pdf_with_content("/FlateDecode", &data);
    refused_under_the_cap("raw.pdf", &pdf, "inflate to more than 32 MiB");
}

#[test]
fn an_encrypted_pdf_with_object_streams_is_refused_before_it_is_opened() {
    refused_under_the_cap(
        "locked.pdf",
        &encrypted_with_object_streams(),
        "the PDF is encrypted and packs its objects in compressed object streams",
    );
}
