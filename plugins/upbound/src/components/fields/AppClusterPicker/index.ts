export { AppClusterPicker } from './AppClusterPicker';
