/**
 * Small images in the formats some engines refuse, made once with omggif and @jsquash/webp (libwebp) and kept as
 * bytes, so the tests need no encoder.
 */

/** An animated GIF, 2 × 2, two frames: the first red, green / blue, white; the second the other way round. */
export const animatedGif = Buffer.from(
  'R0lGODlhAgACAIEAAP8AAAD/AAAA/////yH/C05FVFNDQVBFMi4wAwEAAAAh+QQACgAAACwAAAAAAgACAAACA0Q0BQAh+QQACgAAACwAAAAAAgACAAACA5wCBQA7',
  'base64'
)
/** `animatedGif`'s first frame, as RGBA. */
export const animatedGifFirstFrame = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]

/** A lossless WebP (VP8L), 4 × 3, every pixel opaque. */
export const losslessWebp = Buffer.from('UklGRkgAAABXRUJQVlA4TDsAAAAvA4AAAF8gFEAEQujmD5mEQCDFA4yQQCANCYwQ0fNPNkBRmFxS54j3nwBBAIlFLLFMMcssw0b0P7pjAAA=', 'base64')
/** `losslessWebp`'s pixels, as RGBA: byte i is (i × 37) mod 256, alpha 255. */
export const losslessWebpPixels = Array.from({ length: 4 * 3 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256))

/** A lossy WebP (VP8), 5 × 4. */
export const lossyWebp = Buffer.from('UklGRj4AAABXRUJQVlA4IDIAAADQAQCdASoFAAQAAMASJaACdLoB+AADsAD+98Rf/0Yfww/hh/jB//aln7Us/aln/aYgAA==', 'base64')

/** A lossy WebP with an alpha channel (VP8X, then ALPH and VP8), 6 × 2, half transparent. */
export const alphaWebp = Buffer.from(
  'UklGRmIAAABXRUJQVlA4WAoAAAAQAAAABQAAAQAAQUxQSAoAAAABB1DAiAhERP8DVlA4IDIAAADQAQCdASoGAAIAAMASJaACdLoB+AADsAD+98Rf/0Yfww/hh/jB//aln7Us/aln/aYgAA==',
  'base64'
)

/**
 * A WebP whose header and RIFF size are right (so Parley stores it as a whole WebP) but whose picture is noise: no
 * decoder reads it.
 */
export function unreadableWebp(): Buffer {
  const bytes = Buffer.from(lossyWebp)
  bytes.fill(0x5a, 30)
  return bytes
}
