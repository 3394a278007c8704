/** Error codes of `kassa/devices`. */
export type DeviceErrorCode = 'device.disconnected' | 'device.not_supported';
