export {
  UPBOUND_METER_NAME,
  recordKubeRequest,
  recordCatalogSync,
} from './upboundMetrics';
