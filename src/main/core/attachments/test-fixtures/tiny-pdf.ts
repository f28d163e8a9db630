/**
 * A small valid PDF made by hand: one page per string, each shown in Helvetica (an empty string: a page with no text,
 * as a scan is). Strings must not hold `(`, `)` or `\`. `locked`: it says it is encrypted, and no empty password opens
 * it (its check value is made up), as a PDF locked with a password is to a reader without it.
 */
export function tinyPdf(pages: readonly string[], options: { locked?: boolean } = {}): Buffer {
  const objects: string[] = []
  const n = pages.length
  objects.push('<< /Type /Catalog /Pages 2 0 R >>')
  const kids = pages.map((_, i) => `${3 + i * 2} 0 R`).join(' ')
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`)
  pages.forEach((text, i) => {
    const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${4 + i * 2} 0 R /Resources << /Font << /F1 ${3 + n * 2} 0 R >> >> >>`
    )
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`)
  })
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')
  const check = `<${'ab'.repeat(32)}>`
  if (options.locked) objects.push(`<< /Filter /Standard /V 1 /R 2 /O ${check} /U ${check} /P -44 >>`)
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  out += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')
  const encrypt = options.locked ? ` /Encrypt ${objects.length} 0 R /ID [<${'0'.repeat(32)}> <${'0'.repeat(32)}>]` : ''
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

/** A 1×1 PNG (a whole one, with its IEND chunk). */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)
