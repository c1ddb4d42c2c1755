/*
 * user_triggers.h
 *		Refuses a posting that would skip a trigger the extension did not
 *		create.
 */
#ifndef USER_TRIGGERS_H
#define USER_TRIGGERS_H

#include "utils/relcache.h"

extern void user_triggers_refuse(Relation rel);

#endif							/* USER_TRIGGERS_H */
