import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';

// Plugins in package.json are discovered through `app.packages: all` in app-config.yaml.
export default createApp({
  features: [navModule],
});
