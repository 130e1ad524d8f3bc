import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import type { ReactNode } from 'react';

/** Props of {@link TruncatedText}. @public */
export interface TruncatedTextProps {
  /** The full text: shown on hover and copied by the button. */
  text: string;
  /** What is shown, cut with an ellipsis to the width (a link, say); defaults to the text. */
  children?: ReactNode;
  /** Widest the text may get, in CSS units (e.g. `32ch`); the rest of the row keeps its width. */
  maxWidth: string | number;
  /** Offer a copy button for the full text. */
  copy?: boolean;
  /** What the copy button copies, e.g. "claim name". */
  what?: string;
}

/**
 * One line of text that never pushes the other columns of a table aside: cut with an ellipsis
 * at `maxWidth`, the full text on hover (and for screen readers), and a copy button for names
 * that are too long to read or type.
 * @public
 */
export function TruncatedText(props: TruncatedTextProps) {
  const { text, children, maxWidth, copy, what = 'text' } = props;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 2, minWidth: 0 }}>
      <span
        title={text}
        data-full-text={text}
        style={{
          display: 'inline-block',
          maxWidth,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
          verticalAlign: 'bottom',
        }}
      >
        {children ?? text}
      </span>
      {copy && (
        <CopyTextButton
          text={text}
          aria-label={`Copy ${what} ${text}`}
          tooltipText={`Copied ${what}`}
          variant="tertiary"
        />
      )}
    </Box>
  );
}
