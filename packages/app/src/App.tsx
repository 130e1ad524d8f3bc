import { createApp } from '@backstage/frontend-defaults';
import { upboundScaffolderFieldsModule } from '@upbound-backstage/plugin-upbound/alpha';
import { navModule } from './modules/nav';

// Plugins in package.json are discovered through `app.packages: all` in app-config.yaml; the
// scaffolder field extensions are a module of the scaffolder plugin, so they are added here.
export default createApp({
  features: [navModule, upboundScaffolderFieldsModule],
});
