import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
} from '@upbound-backstage/plugin-upbound-common';
import { claimEntity } from '../../__fixtures__/entities';
import { StaleEntityWarning } from './StaleEntityWarning';

function withAnnotations(annotations: Record<string, string>) {
  return {
    ...claimEntity,
    metadata: {
      ...claimEntity.metadata,
      annotations: { ...claimEntity.metadata.annotations, ...annotations },
    },
  };
}

describe('StaleEntityWarning', () => {
  it('renders nothing while the control plane is read normally', async () => {
    await renderInTestApp(<StaleEntityWarning entity={claimEntity} />);
    expect(screen.queryByText(/could not be read/)).not.toBeInTheDocument();
  });

  it('falls back to the control plane id and the raw time, and omits a missing reason', async () => {
    await renderInTestApp(
      <StaleEntityWarning entity={withAnnotations({ [ANNOTATION_STALE]: 'yesterday-ish' })} />,
    );
    expect(
      screen.getByText(
        'Warning: Control plane space/local/platform/ctp-a could not be read since yesterday-ish; showing the last known state.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Reason:/)).not.toBeInTheDocument();
  });

  it('names the control plane, since when and why', async () => {
    await renderInTestApp(
      <StaleEntityWarning
        entity={withAnnotations({
          [ANNOTATION_CONTROL_PLANE]: 'ctp-a',
          [ANNOTATION_STALE]: new Date(Date.now() - 2 * 86_400_000 - 60_000).toISOString(),
          [ANNOTATION_STALE_REASON]: 'connect ECONNREFUSED',
        })}
      />,
    );
    expect(
      screen.getByText(
        'Warning: Control plane ctp-a could not be read since 2 days ago; showing the last known state.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Reason: connect ECONNREFUSED')).toBeInTheDocument();
  });
});
