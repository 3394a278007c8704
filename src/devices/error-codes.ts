/** Error codes of `kassa/devices`. */
export type DeviceErrorCode =
  | 'device.disconnected'
  | 'device.not_supported'
  | 'device.open_failed'
  | 'device.write_failed'
  | 'device.timeout'
  | 'device.closed'
  | 'device.no_printer'
  | 'device.print_interrupted'
  | 'device.unstable_weight'
  | 'device.invalid_weight'
  | 'device.invalid_input'
  | 'barcode.invalid'
  | 'barcode.invalid_check_digit'
  | 'barcode.invalid_element'
  | 'barcode.unknown_product'
  | 'barcode.weight_required'
  | 'barcode.unit_mismatch';
