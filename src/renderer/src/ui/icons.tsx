import type { JSX, ReactNode } from 'react'

/**
 * Every icon Parley draws, by name: small line drawings on a 16×16 grid in the text's colour (`currentColor`), hidden
 * from assistive technology, since the button around an icon carries its name. Drawn as SVG rather than text glyphs,
 * which render as empty boxes on machines without a symbol font.
 */
const drawings = {
  plus: <path d="M8 3v10M3 8h10" />,
  gear: (
    <>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.8v2M8 12.2v2M1.8 8h2M12.2 8h2M3.6 3.6l1.4 1.4M11 11l1.4 1.4M3.6 12.4L5 11M11 5l1.4-1.4" />
    </>
  ),
  close: <path d="M4 4l8 8M12 4l-8 8" />,
  trash: <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 8.5h5.6l.7-8.5" />,
  pencil: <path d="M11 2.5l2.5 2.5L6 12.5 3 13l.5-3z" />,
  copy: (
    <>
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5V3a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6.5a1 1 0 0 0 1 1h.5" />
    </>
  ),
  regenerate: <path d="M13 8a5 5 0 1 1-1.46-3.54M12 1.8v3h-3" />,
  'chevron-left': <path d="M10 3.5L5.5 8l4.5 4.5" />,
  'chevron-right': <path d="M6 3.5l4.5 4.5L6 12.5" />,
  stop: <rect x="2.5" y="2.5" width="11" height="11" rx="2" fill="currentColor" stroke="none" />,
  menu: <path d="M2.5 4h11M2.5 8h11M2.5 12h11" />,
  'theme-system': (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M8 2.5v11A5.5 5.5 0 0 0 8 2.5z" fill="currentColor" stroke="none" />
    </>
  ),
  'theme-light': <circle cx="8" cy="8" r="5.5" />,
  'theme-dark': <circle cx="8" cy="8" r="5.5" fill="currentColor" />,
  check: <path d="M3 8.5l3 3 7-7" />,
  'arrow-down': <path d="M8 2.5v11M3.5 9L8 13.5 12.5 9" />,
  download: <path d="M8 2.5v8M4.5 7L8 10.5 11.5 7M3 13.5h10" />,
  upload: <path d="M8 10.5v-8M4.5 6L8 2.5 11.5 6M3 13.5h10" />,
  paperclip: <path d="M13 7.5l-5.3 5.3a3.2 3.2 0 0 1-4.5-4.5l5.6-5.6a2.1 2.1 0 0 1 3 3L6.2 11.3a1 1 0 0 1-1.5-1.5L9.8 4.7" />,
  file: <path d="M4 1.5h5l3 3v10H4zM9 1.5v3h3M6 8h4M6 10.5h4" />,
  pdf: <path d="M4 1.5h5l3 3v10H4zM9 1.5v3h3M5.8 12V8.5h1.4a1 1 0 0 1 0 2H5.8" />
} satisfies Record<string, ReactNode>

export type IconName = keyof typeof drawings

export const iconNames = Object.keys(drawings) as IconName[]

/** The drawn size in pixels: small beside 12px text and in compact rows, normal elsewhere. */
export type IconSize = 'small' | 'normal'

const pixels: Record<IconSize, number> = { small: 12, normal: 14 }

export function Icon(props: { name: IconName; size?: IconSize }): JSX.Element {
  const size = pixels[props.size ?? 'normal']
  return (
    <svg
      className="icon"
      data-icon={props.name}
      viewBox="0 0 16 16"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {drawings[props.name]}
    </svg>
  )
}
