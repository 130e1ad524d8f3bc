export { ControlPlanesPage } from './ControlPlanesPage';
export { ControlPlanesContent } from './ControlPlanesContent';
