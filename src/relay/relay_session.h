/*
 * relay_session.h
 *		One streaming session of the relay worker: slot, decoder, producer and
 *		acknowledgement tracking, advanced one bounded unit of work at a time.
 */
#ifndef PUB_RELAY_SESSION_H
#define PUB_RELAY_SESSION_H

typedef enum SessionStatus
{
	SESSION_OPEN,
	SESSION_SLOT_BUSY,			/* retry later */
	SESSION_MISCONFIGURED		/* retry after a reload */
} SessionStatus;

extern SessionStatus relay_session_open(void);

/* One unit of work; returns true if more is waiting (don't sleep). */
extern bool relay_session_step(void);

/* False after a rewind could not restart decoding (see the view). */
extern bool relay_session_decoding(void);

/* Wait for what is in flight (bounded), confirm it, and stop producing. */
extern void relay_session_close(void);

#endif							/* PUB_RELAY_SESSION_H */
