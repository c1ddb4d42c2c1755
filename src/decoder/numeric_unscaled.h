/*
 * numeric_unscaled.h
 *		A numeric datum's unscaled integer, for Kafka Connect's Decimal.
 */
#ifndef PUB_DECODER_NUMERIC_UNSCALED_H
#define PUB_DECODER_NUMERIC_UNSCALED_H

extern bool numeric_unscaled_int64(Datum value, int scale, int64 *unscaled, int *used_scale);

#endif							/* PUB_DECODER_NUMERIC_UNSCALED_H */
