<?php
/**
 * Tests for ShopAffiliate_Order_Meta.
 *
 * @package ShopAffiliate
 */

use PHPUnit\Framework\TestCase;

final class OrderMetaTest extends TestCase {

	const CLICK = '3f2b8c1e-9d4a-4e5b-8c7d-0a1b2c3d4e5f';
	const NOW   = 1710430082;

	public function test_full_cookie_gives_all_three_keys(): void {
		$landed = self::NOW - 3600;
		$this->assertSame(
			array(
				'_sa_ref'       => 'jane',
				'_sa_click'     => self::CLICK,
				'_sa_landed_at' => '2024-03-14T14:28:02Z',
			),
			ShopAffiliate_Order_Meta::from_cookie( 'jane|' . self::CLICK . '|' . $landed, self::NOW, 30 )
		);
	}

	public function test_missing_parts_are_omitted(): void {
		$this->assertSame( array( '_sa_ref' => 'jane' ), ShopAffiliate_Order_Meta::from_cookie( 'jane', self::NOW, 30 ) );
		$this->assertSame(
			array(
				'_sa_ref'       => 'jane',
				'_sa_landed_at' => '2024-03-14T15:28:02Z',
			),
			ShopAffiliate_Order_Meta::from_cookie( 'jane||' . self::NOW, self::NOW, 30 )
		);
	}

	public function test_no_or_bad_cookie_writes_nothing(): void {
		$this->assertSame( array(), ShopAffiliate_Order_Meta::from_cookie( null, self::NOW, 30 ) );
		$this->assertSame( array(), ShopAffiliate_Order_Meta::from_cookie( 'jane|bad|1', self::NOW, 30 ) );
		$this->assertSame( array(), ShopAffiliate_Order_Meta::from_referral( null, self::NOW, 30 ) );
	}

	public function test_cookie_older_than_window_is_ignored(): void {
		$this->assertSame( array(), ShopAffiliate_Order_Meta::from_cookie( 'jane||' . ( self::NOW - 31 * 86400 ), self::NOW, 30 ) );
		$this->assertSame( array(), ShopAffiliate_Order_Meta::from_cookie( 'jane||' . ( self::NOW - 30 * 86400 - 1 ), self::NOW, 30 ) );
		// Inside the window the whole referral is written, with the time it landed (not the time of the order).
		$this->assertSame(
			array(
				'_sa_ref'       => 'jane',
				'_sa_click'     => self::CLICK,
				'_sa_landed_at' => '2024-02-13T15:28:02Z',
			),
			ShopAffiliate_Order_Meta::from_cookie( 'jane|' . self::CLICK . '|' . ( self::NOW - 30 * 86400 ), self::NOW, 30 )
		);
		$this->assertSame(
			array(
				'_sa_ref'       => 'jane',
				'_sa_landed_at' => '2024-02-14T15:28:02Z',
			),
			ShopAffiliate_Order_Meta::from_cookie( 'jane||' . ( self::NOW - 29 * 86400 ), self::NOW, 30 )
		);
		$this->assertSame(
			array(
				'_sa_ref'       => 'jane',
				'_sa_landed_at' => '2024-02-12T15:28:02Z',
			),
			ShopAffiliate_Order_Meta::from_cookie( 'jane||' . ( self::NOW - 31 * 86400 ), self::NOW, 60 )
		);
	}

	public function test_cookie_from_the_future_is_ignored(): void {
		$this->assertSame( array(), ShopAffiliate_Order_Meta::from_cookie( 'jane||' . ( self::NOW + 86400 ), self::NOW, 30 ) );
	}

	public function test_stale_keys_are_deleted_only_when_writing(): void {
		$this->assertSame( array( '_sa_click', '_sa_landed_at' ), ShopAffiliate_Order_Meta::keys_to_delete( array( '_sa_ref' => 'jane' ) ) );
		$this->assertSame( array(), ShopAffiliate_Order_Meta::keys_to_delete( array() ) );
		$this->assertSame( array( '_sa_ref', '_sa_click', '_sa_landed_at' ), ShopAffiliate_Order_Meta::keys() );
	}
}
