//! Accessible brand colours: darken an inbox colour until white text on it meets WCAG AA (4.5:1).

fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.039_28 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Contrast ratio of white on a colour.
pub fn contrast_with_white(rgb: (u8, u8, u8)) -> f64 {
    1.05 / (luminance(rgb) + 0.05)
}

fn parse(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = hex.strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// `#rrggbb` of `color` (default `#1f93ff`), darkened until white text on it reaches 4.5:1.
pub fn accessible(color: Option<&str>) -> String {
    let (mut r, mut g, mut b) = color.and_then(parse).unwrap_or((0x1f, 0x93, 0xff));
    while contrast_with_white((r, g, b)) < 4.5 {
        r = (f64::from(r) * 0.9) as u8;
        g = (f64::from(g) * 0.9) as u8;
        b = (f64::from(b) * 0.9) as u8;
    }
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn darkens_to_aa() {
        for input in [
            None,
            Some("#ffff00"),
            Some("#fff"),
            Some("not a colour"),
            Some("#000000"),
        ] {
            let out = accessible(input);
            assert!(
                contrast_with_white(parse(&out).expect("hex")) >= 4.5,
                "{input:?} → {out}"
            );
        }
        assert_eq!(accessible(Some("#000000")), "#000000");
    }
}
