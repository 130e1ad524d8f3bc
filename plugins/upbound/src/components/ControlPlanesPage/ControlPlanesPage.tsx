import { Content, ContentHeader, Header, Page, SupportButton } from '@backstage/core-components';
import { ControlPlanesContent } from './ControlPlanesContent';

/**
 * The control planes page with its own header, for apps on the legacy frontend system.
 * @public
 */
export function ControlPlanesPage() {
  return (
    <Page themeId="tool">
      <Header title="Control Planes" subtitle="Upbound managed control planes and their claims" />
      <Content>
        <ContentHeader title="">
          <SupportButton>
            Every control plane the portal can reach, grouped by Space and group.
          </SupportButton>
        </ContentHeader>
        <ControlPlanesContent />
      </Content>
    </Page>
  );
}
